package dev.plaidsync.portfolio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@EngineIntegrationTest
class IsolationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Autowired
	UserScopedSession session;

	@Test
	void userBTriesEveryEndpointOnUserAsItemAndSeesNothingOfIt() throws Exception {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String tokenA = api.demoToken("iso-a-" + run);
		String tokenB = api.demoToken("iso-b-" + run);
		String linkTokenA = api.post("/api/plaid/link-token", tokenA, null)
			.expect(200)
			.body()
			.path("link_token")
			.asString();
		String publicTokenA = this.simulator.completeLink(linkTokenA, "ins_900001", "iso-" + run);
		String itemA = api.post("/api/plaid/items", tokenA, Map.of("public_token", publicTokenA))
			.expect(201)
			.body()
			.path("item_id")
			.asString();
		NewUserJourneyIntegrationTests.awaitFirstSync(api, tokenA, itemA);
		UUID userA = this.users.idFor("iso-a-" + run);
		insertWebhookEvent(userA, itemA);
		JsonNode portfolioA = api.get("/api/portfolio", tokenA).expect(200).body();
		String accountA = portfolioA.path("accounts").get(0).path("account_id").asString();

		assertThat(api.get("/api/plaid/items", tokenB).expect(200).body().path("items")).isEmpty();
		for (String path : List.of("/api/plaid/items/" + itemA + "/link-token",
				"/api/plaid/items/" + itemA + "/reconnected")) {
			assertThat(api.post(path, tokenB, null).expect(404).body().path("error").asString())
				.isEqualTo("item_not_found");
		}
		assertThat(api.delete("/api/plaid/items/" + itemA, tokenB).expect(404).body().path("error").asString())
			.isEqualTo("item_not_found");
		JsonNode portfolioB = api.get("/api/portfolio", tokenB).expect(200).body();
		assertThat(portfolioB.path("totals")).isEmpty();
		assertThat(portfolioB.path("accounts")).isEmpty();
		assertThat(portfolioB.path("items")).isEmpty();
		api.get("/api/portfolio/transactions?account_id=" + accountA, tokenB).expect(404);
		assertThat(api.get("/api/portfolio/transactions?start_date=2000-01-01&end_date=2001-12-31", tokenB)
			.expect(200)
			.body()
			.path("total")
			.asLong()).isZero();
		assertThat(api.get("/api/portfolio/transactions", tokenB).expect(200).body().path("transactions")).isEmpty();
		assertThat(api.get("/api/webhook-events", tokenB).expect(200).body().path("events")).isEmpty();
		assertThat(api.get("/api/webhook-events", tokenA).expect(200).body().path("events")).hasSize(1);
		assertThat(api.post("/api/plaid/items", tokenB, Map.of("public_token", publicTokenA))
			.expect(400)
			.body()
			.path("error")
			.asString()).isEqualTo("invalid_public_token");
		assertThat(api.get("/api/portfolio/transactions?account_id=" + accountA, tokenA)
			.expect(200)
			.body()
			.path("total")
			.asLong()).isPositive();

		try (UserApiClient.EventStream streamA = api.stream(tokenA);
				UserApiClient.EventStream streamB = api.stream(tokenB)) {
			NewUserJourneyIntegrationTests.awaitLine(streamA, "event:connected");
			NewUserJourneyIntegrationTests.awaitLine(streamB, "event:connected");
			this.launcher.request(SyncJob.HOLDINGS, SyncScope.item(itemA), "test:" + UUID.randomUUID(),
					SyncOptions.interactive());
			NewUserJourneyIntegrationTests.awaitLine(streamA, "event:portfolio-updated");
			String line;
			while ((line = streamB.lines().poll(1, TimeUnit.SECONDS)) != null) {
				assertThat(line).as("user B's stream").doesNotContain("portfolio-updated");
			}
		}

		JsonNode after = api.get("/api/plaid/items", tokenA).expect(200).body().path("items");
		assertThat(after).hasSize(1);
		assertThat(after.get(0).path("status").asString()).isEqualTo("ACTIVE");
		assertThat(api.get("/api/portfolio", tokenA).expect(200).body().path("totals"))
			.isEqualTo(portfolioA.path("totals"));
	}

	@Test
	void theUserScopedSessionAloneFencesUsersEvenWithoutTheApisOwnershipFilter() {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String tokenA = api.demoToken("rls-a-" + run);
		String tokenB = api.demoToken("rls-b-" + run);
		String itemA = NewUserJourneyIntegrationTests.linkThroughTheApi(api, this.simulator, tokenA, "ins_900002",
				"rls-a-" + run);
		String itemB = NewUserJourneyIntegrationTests.linkThroughTheApi(api, this.simulator, tokenB, "ins_900002",
				"rls-b-" + run);
		UUID userA = this.users.idFor("rls-a-" + run);
		UUID userB = this.users.idFor("rls-b-" + run);

		for (String table : List.of("plaid_items", "user_investment_accounts", "holdings", "investment_transactions")) {
			List<UUID> ownersSeenByB = this.session.read(userB,
					(jdbc) -> jdbc.sql("SELECT DISTINCT user_id FROM " + table).query(UUID.class).list());
			assertThat(ownersSeenByB).as(table).containsExactly(userB);
		}
		List<String> itemsSeenByA = this.session.read(userA,
				(jdbc) -> jdbc.sql("SELECT item_id FROM plaid_items").query(String.class).list());
		assertThat(itemsSeenByA).containsExactly(itemA).doesNotContain(itemB);
		assertThat(this.jdbc.sql("SELECT count(DISTINCT user_id) FROM holdings WHERE user_id IN (:a, :b)")
			.param("a", userA)
			.param("b", userB)
			.query(Long.class)
			.single()).as("the engine's own connection sees both").isEqualTo(2);
	}

	private void insertWebhookEvent(UUID userId, String itemId) {
		this.jdbc
			.sql("""
					INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, user_id, verification, body_sha256, status)
					VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :item, :user, 'VERIFIED', 'test', 'DONE')
					""")
			.param("item", itemId)
			.param("user", userId)
			.update();
	}

}
