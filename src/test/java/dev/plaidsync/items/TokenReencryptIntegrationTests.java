package dev.plaidsync.items;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12: access-token keys can be retired. The engine runs with {@code k2} (new,
 * first) and {@code k1} (old); items stored under {@code k1} are re-encrypted under
 * {@code k2} by {@code tokenReencryptJob} launched from {@code /ops}, and still decrypt
 * to the same token. An item under {@code k0}, which is no longer configured, is listed
 * for operators, recorded as the run's failed item, and never deleted: removal answers
 * 409 naming {@code k0}.
 */
@EngineIntegrationTest
@TestPropertySource(properties = "plaidsync.token.key=k2:" + TokenReencryptIntegrationTests.NEW_KEY + ",k1:"
		+ TokenReencryptIntegrationTests.OLD_KEY)
class TokenReencryptIntegrationTests {

	static final String NEW_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

	static final String OLD_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static final String LOST_KEY = "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=";

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ItemCredentials credentials;

	@Test
	void everyTokenMovesToTheFirstKeyAndAnUnreadableOneIsListedKeptAndRefusedRemoval() {
		UUID user = this.users.idFor("rekey-" + UUID.randomUUID());
		AccessTokenCipher old = AccessTokenCipher.fromKeySpec("k1:" + OLD_KEY);
		AccessTokenCipher lost = AccessTokenCipher.fromKeySpec("k0:" + LOST_KEY);
		List<LinkedItem> underOld = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			LinkedItem item = this.simulator.createItem("ins_900001", "rekey-" + user + "-" + i, null);
			store(user, item, old.encrypt(item.itemId(), item.accessToken()));
			underOld.add(item);
		}
		LinkedItem orphan = this.simulator.createItem("ins_900001", "rekey-lost-" + user, null);
		store(user, orphan, lost.encrypt(orphan.itemId(), orphan.accessToken()));
		RestClient ops = ops();

		Map<String, Object> listed = ops.get().uri("/ops/items/unreadable-tokens").retrieve().body(MAP);
		assertThat(listed).containsEntry("currentKeyId", "k2");
		assertThat((List<Map<String, Object>>) listed.get("items")).anySatisfy((item) -> {
			assertThat(item).containsEntry("item_id", orphan.itemId()).containsEntry("missing_key_id", "k0");
		});

		Map<String, Object> started = ops.post().uri("/ops/token-reencrypt").retrieve().body(MAP);
		long execution = ((Number) started.get("jobExecutionId")).longValue();
		await().atMost(Duration.ofSeconds(120))
			.until(() -> "COMPLETED"
				.equals(ops.get().uri("/ops/executions/" + execution).retrieve().body(MAP).get("status")));
		Map<String, Object> detail = ops.get().uri("/ops/executions/" + execution).retrieve().body(MAP);
		assertThat((List<Map<String, Object>>) detail.get("failedItems"))
			.anySatisfy((failure) -> assertThat(failure.toString()).contains(orphan.itemId()).contains("k0"));
		assertThat(detail.toString()).contains("progress");

		for (LinkedItem item : underOld) {
			assertThat(keyOf(item.itemId())).isEqualTo("k2");
			assertThat(this.credentials.find(item.itemId()).orElseThrow().accessToken()).isEqualTo(item.accessToken());
		}
		assertThat(keyOf(orphan.itemId())).isEqualTo("k0");
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM ops_audit WHERE action = 're-encrypt tokens' AND result = 'STARTED'")
			.query(Long.class)
			.single()).isPositive();

		ResponseEntity<String> removal = ops.post()
			.uri("/ops/items/" + orphan.itemId() + "/remove")
			.retrieve()
			.toEntity(String.class);
		assertThat(removal.getStatusCode().value()).isEqualTo(409);
		assertThat(removal.getBody()).contains("access_token_unreadable", "'k0'");
		assertThat(this.jdbc.sql("SELECT status FROM plaid_items WHERE item_id = :item")
			.param("item", orphan.itemId())
			.query(String.class)
			.single()).isEqualTo("ACTIVE");
		assertThat(keyOf(orphan.itemId())).isEqualTo("k0");
	}

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	private RestClient ops() {
		return RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer test-ops-token")
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	private String keyOf(String itemId) {
		return this.jdbc.sql("SELECT access_token_key_id FROM plaid_items WHERE item_id = :item")
			.param("item", itemId)
			.query(String.class)
			.single();
	}

	private void store(UUID user, LinkedItem item, AccessTokenCipher.EncryptedToken token) {
		this.jdbc.sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, institution_name, access_token_ciphertext,
				    access_token_key_id)
				VALUES (:itemId, :userId, 'ins_900001', 'Test institution', :ciphertext, :keyId)
				""")
			.param("itemId", item.itemId())
			.param("userId", user)
			.param("ciphertext", token.ciphertext())
			.param("keyId", token.keyId())
			.update();
	}

}
