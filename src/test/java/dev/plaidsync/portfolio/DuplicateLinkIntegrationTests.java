package dev.plaidsync.portfolio;

import java.util.Map;
import java.util.UUID;

import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EngineIntegrationTest
class DuplicateLinkIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	PlaidGateway plaid;

	@Autowired
	JdbcClient jdbc;

	@Test
	void theSamePublicTokenTwiceGivesOneItem() {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String token = api.demoToken("twice-" + run);
		String publicToken = publicToken(api, token, "ins_900001", "twice-" + run);

		String first = api.post("/api/plaid/items", token, Map.of("public_token", publicToken))
			.expect(201)
			.body()
			.path("item_id")
			.asString();
		JsonNode again = api.post("/api/plaid/items", token, Map.of("public_token", publicToken)).expect(200).body();

		assertThat(again.path("item_id").asString()).isEqualTo(first);
		assertThat(api.get("/api/plaid/items", token).expect(200).body().path("items")).hasSize(1);
	}

	@Test
	void linkingTheSameLoginAgainIsRefusedNamingTheExistingItemAndTheDuplicateIsRemovedAtPlaid() {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String token = api.demoToken("dup-" + run);
		String existing = api
			.post("/api/plaid/items", token,
					Map.of("public_token", publicToken(api, token, "ins_900003", "dup-" + run)))
			.expect(201)
			.body()
			.path("item_id")
			.asString();

		String secondToken = publicToken(api, token, "ins_900003", "dup-" + run);
		JsonNode refused = api.post("/api/plaid/items", token, Map.of("public_token", secondToken)).expect(409).body();

		assertThat(refused.path("error").asString()).isEqualTo("duplicate_item");
		assertThat(refused.path("existing_item_id").asString()).isEqualTo(existing);
		assertThat(refused.path("message").asString()).contains(existing);
		String duplicate = refused.path("removed_item_id").asString();
		assertThat(duplicate).isNotEqualTo(existing);
		String duplicateAccessToken = this.simulator.item(duplicate).accessToken();
		assertThatThrownBy(() -> this.plaid.holdings(new ItemAccess(duplicate, "ins_900003", duplicateAccessToken),
				CallPriority.INTERACTIVE))
			.isInstanceOfSatisfying(PlaidFailure.class,
					(failure) -> assertThat(failure.errorCode()).isEqualTo("ITEM_NOT_FOUND"));
		assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_items WHERE item_id = :id")
			.param("id", duplicate)
			.query(Long.class)
			.single()).isZero();
		assertThat(api.get("/api/plaid/items", token).expect(200).body().path("items")).hasSize(1);
		api.post("/api/plaid/items", token, Map.of("public_token", secondToken)).expect(409);

		String otherLogin = publicToken(api, token, "ins_900003", "dup-" + run + "-other");
		api.post("/api/plaid/items", token, Map.of("public_token", otherLogin)).expect(201);
	}

	private String publicToken(UserApiClient api, String token, String institution, String login) {
		String linkToken = api.post("/api/plaid/link-token", token, null)
			.expect(200)
			.body()
			.path("link_token")
			.asString();
		return this.simulator.completeLink(linkToken, institution, login);
	}

}
