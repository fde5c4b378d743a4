package dev.plaidsync.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.plaidsync.testsupport.SimulatorControl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WebhookDeliveryTests {

	private static RunningSimulator sim;

	private static SimulatorControl control;

	private static WebhookReceiver receiver;

	@BeforeAll
	static void start() {
		sim = RunningSimulator.shared();
		control = sim.control();
		receiver = new WebhookReceiver();
	}

	@AfterAll
	static void stop() {
		receiver.close();
	}

	private static List<WebhookReceiver.Received> awaitReceived(String path, int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received(path).size() >= count);
		return receiver.received(path);
	}

	private static JsonNode key(String kid) {
		RunningSimulator.Answer answer = sim.plaid("/webhook_verification_key/get", Map.of("key_id", kid));
		assertThat(answer.status()).isEqualTo(200);
		return answer.body().path("key");
	}

	private static SignedJWT verify(WebhookReceiver.Received received) throws Exception {
		SignedJWT jwt = SignedJWT.parse(received.verification());
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
		assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
		JsonNode jwk = key(jwt.getHeader().getKeyID());
		assertThat(jwk.path("expired_at").isNull()).isTrue();
		ECKey publicKey = ECKey.parse(Map.of("kty", jwk.path("kty").asString(), "crv", jwk.path("crv").asString(), "x",
				jwk.path("x").asString(), "y", jwk.path("y").asString(), "kid", jwk.path("kid").asString()));
		assertThat(jwt.verify(new ECDSAVerifier(publicKey))).isTrue();
		Instant issuedAt = jwt.getJWTClaimsSet().getIssueTime().toInstant();
		assertThat(issuedAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
		String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(received.body()));
		assertThat(jwt.getJWTClaimsSet().getStringClaim("request_body_sha256")).isEqualTo(sha256);
		return jwt;
	}

	@Test
	void webhooksAreSignedAsPlaidSignsThem() throws Exception {
		LinkedItem item = sim.simulator().createItem("ins_900001", "user_signed", receiver.url("/signed"));
		control.fireHoldingsUpdate(item.itemId());
		WebhookReceiver.Received received = awaitReceived("/signed", 1).get(0);
		verify(received);
		String body = new String(received.body(), StandardCharsets.UTF_8);
		assertThat(body).startsWith("{\n  \"").contains("\n  \"webhook_type\": \"HOLDINGS\"").endsWith("\n}");
		JsonNode json = JsonMapper.shared().readTree(body);
		assertThat(json.path("item_id").asString()).isEqualTo(item.itemId());
		assertThat(json.path("webhook_code").asString()).isEqualTo("DEFAULT_UPDATE");
		assertThat(json.path("environment").asString()).isEqualTo("sandbox");
	}

	@Test
	void rotationExpiresTheOldKeyAndSignsWithTheNewOne() throws Exception {
		LinkedItem item = sim.simulator().createItem("ins_900002", "user_rotation", receiver.url("/rotation"));
		control.fireTransactionsUpdate(item.itemId(), 3, 1);
		SignedJWT before = verify(awaitReceived("/rotation", 1).get(0));
		String oldKid = before.getHeader().getKeyID();

		String newKid = control.rotateWebhookKey();
		assertThat(newKid).isNotEqualTo(oldKid);
		assertThat(key(oldKid).path("expired_at").isNumber()).isTrue();
		assertThat(key(newKid).path("expired_at").isNull()).isTrue();

		control.fireTransactionsUpdate(item.itemId(), 1, 0);
		SignedJWT after = verify(awaitReceived("/rotation", 2).get(1));
		assertThat(after.getHeader().getKeyID()).isEqualTo(newKid);
	}

	@Test
	void failedDeliveriesAreRetriedWithAFreshSignature() throws Exception {
		receiver.failFirst("/flaky", 2);
		LinkedItem item = sim.simulator().createItem("ins_900001", "user_flaky", receiver.url("/flaky"));
		control.fireItemWebhook(item.itemId(), "NEW_ACCOUNTS_AVAILABLE", null);
		List<WebhookReceiver.Received> attempts = awaitReceived("/flaky", 3);
		assertThat(attempts).hasSize(3);
		assertThat(attempts).extracting(WebhookReceiver.Received::verification).doesNotHaveDuplicates();
		for (WebhookReceiver.Received attempt : attempts) {
			verify(attempt);
			assertThat(attempt.body()).isEqualTo(attempts.get(0).body());
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> sim.simulator()
				.deliveries()
				.stream()
				.filter(d -> d.itemId().equals(item.itemId()))
				.count() == 3);
		assertThat(sim.simulator().deliveries().stream().filter(d -> d.itemId().equals(item.itemId())))
			.extracting(WebhookDelivery::attempt, WebhookDelivery::statusCode)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, 500), org.assertj.core.groups.Tuple.tuple(2, 500),
					org.assertj.core.groups.Tuple.tuple(3, 200));
	}

	@Test
	void webhookUpdateIsAcknowledgedAtTheNewUrl() {
		LinkedItem item = sim.simulator().createItem("ins_900001", "user_moves", receiver.url("/old"));
		RunningSimulator.Answer answer = sim.plaid("/item/webhook/update",
				Map.of("access_token", item.accessToken(), "webhook", receiver.url("/new")));
		assertThat(answer.body().path("item").path("webhook").asString()).isEqualTo(receiver.url("/new"));
		JsonNode ack = JsonMapper.shared().readTree(awaitReceived("/new", 1).get(0).body());
		assertThat(ack.path("webhook_code").asString()).isEqualTo("WEBHOOK_UPDATE_ACKNOWLEDGED");
		assertThat(ack.path("new_webhook_url").asString()).isEqualTo(receiver.url("/new"));
		assertThat(receiver.received("/old")).isEmpty();
	}

	@Test
	void loginLifecycleFiresErrorAndRepairButNotForUpdateMode() {
		LinkedItem item = sim.simulator().createItem("ins_900001", "user_login", receiver.url("/login"));
		control.requireLogin(item.itemId());
		JsonNode error = JsonMapper.shared().readTree(awaitReceived("/login", 1).get(0).body());
		assertThat(error.path("webhook_code").asString()).isEqualTo("ERROR");
		assertThat(error.path("error").path("error_code").asString()).isEqualTo("ITEM_LOGIN_REQUIRED");
		assertThat(sim.plaid("/investments/holdings/get", Map.of("access_token", item.accessToken())).status())
			.isEqualTo(400);

		control.repairLogin(item.itemId());
		JsonNode repaired = JsonMapper.shared().readTree(awaitReceived("/login", 2).get(1).body());
		assertThat(repaired.path("webhook_code").asString()).isEqualTo("LOGIN_REPAIRED");
		assertThat(sim.plaid("/investments/holdings/get", Map.of("access_token", item.accessToken())).status())
			.isEqualTo(200);

		control.requireLogin(item.itemId());
		awaitReceived("/login", 3);
		String linkToken = sim
			.plaid("/link/token/create",
					Map.of("client_name", "Plaid Sync", "language", "en", "country_codes", List.of("US"), "user",
							Map.of("client_user_id", "u1"), "access_token", item.accessToken()))
			.body()
			.path("link_token")
			.asString();
		assertThat(control.completeLink(linkToken, null, null)).isNull();
		assertThat(sim.plaid("/investments/holdings/get", Map.of("access_token", item.accessToken())).status())
			.isEqualTo(200);
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> receiver.received("/login").size() == 3);
	}

	@Test
	void refreshFiresBothDefaultUpdates() {
		LinkedItem item = sim.simulator().createItem("ins_900001", "user_refresh", receiver.url("/refresh"));
		assertThat(sim.plaid("/investments/refresh", Map.of("access_token", item.accessToken())).status())
			.isEqualTo(200);
		assertThat(awaitReceived("/refresh", 2))
			.extracting(r -> JsonMapper.shared().readTree(r.body()).path("webhook_type").asString())
			.containsExactlyInAnyOrder("HOLDINGS", "INVESTMENTS_TRANSACTIONS");
	}

	@Test
	void theKeyEndpointCanBeMadeToFail() {
		String kid = sim.simulator().currentWebhookKeyId();
		control.failWebhookKeyEndpoint(true);
		try {
			RunningSimulator.Answer answer = sim.plaid("/webhook_verification_key/get", Map.of("key_id", kid));
			assertThat(answer.status()).isEqualTo(500);
			assertThat(answer.body().path("error_code").asString()).isEqualTo("INTERNAL_SERVER_ERROR");
		}
		finally {
			control.failWebhookKeyEndpoint(false);
		}
		assertThat(sim.plaid("/webhook_verification_key/get", Map.of("key_id", kid)).status()).isEqualTo(200);
	}

}
