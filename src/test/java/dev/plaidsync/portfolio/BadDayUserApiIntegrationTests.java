package dev.plaidsync.portfolio;

import java.util.Map;
import java.util.UUID;

import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.testsupport.SimulatorControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user's app sees on a bad day: a link that fails after Plaid already billed the
 * item, and data without a currency. Plaid's answers come from the simulator over HTTP.
 */
@EngineIntegrationTest
@TestPropertySource(properties = { "plaid.budget.rate-limit-penalty=0" })
class BadDayUserApiIntegrationTests {

	private static final String DOWN = "ins_900003";

	private static final String EXCHANGE = "/item/public_token/exchange";

	private static final String REMOVE = "/item/remove";

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	PlaidGateway gateway;

	@Autowired
	JdbcClient jdbc;

	SimulatorControl control;

	UserApiClient api;

	@BeforeEach
	void setUp() {
		this.control = new SimulatorControl("http://localhost:" + this.port);
		this.api = new UserApiClient(this.port);
	}

	@AfterEach
	void endTheBadDay() {
		this.control.clearBadDayFaults();
		this.control.setRateLimit(REMOVE, "client", 2000);
	}

	@Test
	void aLinkThatFailsAfterTheExchangeRemovesTheNewItemAtPlaid() {
		String user = "link-undo-" + UUID.randomUUID();
		String token = this.api.demoToken(user);
		String publicToken = publicToken(token, "undo-" + user);
		this.control.setInstitutionOutage(DOWN, "INSTITUTION_DOWN");
		long exchanges = this.control.calls(EXCHANGE);
		long removals = this.control.calls(REMOVE);

		this.api.post("/api/plaid/items", token, Map.of("public_token", publicToken)).expect(503);

		assertThat(this.control.calls(EXCHANGE) - exchanges).isEqualTo(1);
		assertThat(this.control.calls(REMOVE) - removals).as("the billed item was removed at Plaid").isEqualTo(1);
		assertThat(itemsOf(token)).isZero();
		assertThat(this.jdbc.sql(
				"SELECT count(*) FROM plaid_public_token_exchanges e JOIN app_users u ON u.id = e.user_id WHERE u.auth_subject = :user")
			.param("user", user)
			.query(Long.class)
			.single()).as("nothing kept: the item is gone at Plaid").isZero();
	}

	@Test
	void whenPlaidCannotRemoveItEitherTheTokenIsKeptAndTheSamePublicTokenFinishesTheLink() {
		String user = "link-keep-" + UUID.randomUUID();
		String token = this.api.demoToken(user);
		String publicToken = publicToken(token, "keep-" + user);
		this.control.setInstitutionOutage(DOWN, "INSTITUTION_DOWN");
		this.control.setRateLimit(REMOVE, "client", 1);
		LinkedItem throwaway = this.simulator.createItem("ins_900001", "throwaway-" + user, null);
		this.gateway.removeItem(new ItemAccess(throwaway.itemId(), "ins_900001", throwaway.accessToken()),
				CallPriority.INTERACTIVE);
		long exchanges = this.control.calls(EXCHANGE);

		this.api.post("/api/plaid/items", token, Map.of("public_token", publicToken)).expect(503);

		assertThat(itemsOf(token)).isZero();
		Map<String, Object> kept = this.jdbc
			.sql("""
					SELECT e.exchanged_item_id, e.access_token_ciphertext IS NOT NULL AS has_token, e.link_failed_at IS NOT NULL AS failed
					FROM plaid_public_token_exchanges e JOIN app_users u ON u.id = e.user_id WHERE u.auth_subject = :user
					""")
			.param("user", user)
			.query()
			.singleRow();
		assertThat(kept).containsEntry("has_token", true).containsEntry("failed", true);
		String itemId = (String) kept.get("exchanged_item_id");
		assertThat(itemId).isNotNull();

		this.control.setRateLimit(REMOVE, "client", 2000);
		this.control.setInstitutionOutage(DOWN, null);
		JsonNode linked = this.api.post("/api/plaid/items", token, Map.of("public_token", publicToken))
			.expect(201)
			.body();

		assertThat(linked.path("item_id").asString()).isEqualTo(itemId);
		assertThat(this.control.calls(EXCHANGE) - exchanges).as("the public token was exchanged once").isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT status FROM plaid_items WHERE item_id = :item")
			.param("item", itemId)
			.query(String.class)
			.single()).isEqualTo("ACTIVE");
		assertThat(this.jdbc
			.sql("SELECT access_token_ciphertext IS NULL FROM plaid_public_token_exchanges WHERE item_id = :item")
			.param("item", itemId)
			.query(Boolean.class)
			.single()).as("the token lives only with the item now").isTrue();
		NewUserJourneyIntegrationTests.awaitFirstSync(this.api, token, itemId);
	}

	@Test
	void aHoldingWithoutACurrencyIsTotalledAsUnknownInsteadOfFailingThePortfolio() {
		String user = "currency-" + UUID.randomUUID();
		String token = this.api.demoToken(user);
		String itemId = NewUserJourneyIntegrationTests.linkThroughTheApi(this.api, this.simulator, token, "ins_900001",
				"currency-" + user);
		int updated = this.jdbc.sql("""
				UPDATE holdings SET iso_currency_code = NULL, unofficial_currency_code = NULL
				WHERE ctid = (SELECT ctid FROM holdings WHERE item_id = :item LIMIT 1)
				""").param("item", itemId).update();
		assertThat(updated).isEqualTo(1);

		JsonNode portfolio = this.api.get("/api/portfolio", token).expect(200).body();

		boolean unknown = false;
		for (JsonNode total : portfolio.path("totals")) {
			unknown |= "UNKNOWN".equals(total.path("currency").asString());
		}
		assertThat(unknown).as("totals %s", portfolio.path("totals")).isTrue();
	}

	private String publicToken(String token, String login) {
		String linkToken = this.api.post("/api/plaid/link-token", token, null)
			.expect(200)
			.body()
			.path("link_token")
			.asString();
		return this.simulator.completeLink(linkToken, DOWN, login);
	}

	private int itemsOf(String token) {
		return this.api.get("/api/plaid/items", token).expect(200).body().path("items").size();
	}

}
