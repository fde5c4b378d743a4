package dev.plaidsync.portfolio;

import java.util.UUID;

import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/portfolio/realized?year=} over real HTTP: a position sold out (no
 * holding left) still shows what it realized in each year, to the cent; bad input is a
 * 400 that says what is accepted.
 */
@EngineIntegrationTest
class RealizedGainsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Test
	void aClosedPositionsGainsAreShownByYear() {
		UserApiClient api = new UserApiClient(this.port);
		String subject = "realized-" + UUID.randomUUID();
		String token = api.demoToken(subject);
		UUID userId = this.users.idFor(subject);
		String itemId = "item-" + subject;
		String accountId = "acct-" + subject;
		this.jdbc.sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, access_token_ciphertext, access_token_key_id)
				VALUES (:itemId, :userId, 'ins_1', '\\x00'::bytea, 'k1')
				""").param("itemId", itemId).param("userId", userId).update();
		this.jdbc.sql("""
				INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, type, subtype)
				VALUES (:accountId, :itemId, :userId, 'Brokerage', 'investment', 'brokerage')
				""").param("accountId", accountId).param("itemId", itemId).param("userId", userId).update();
		this.jdbc.sql("""
				INSERT INTO securities (security_id, ticker_symbol, name, type)
				VALUES ('sec-realized', 'RLZD', 'Realized Corp', 'equity') ON CONFLICT DO NOTHING
				""").update();
		// 2025: buy 10 @ 10.00 and 10 @ 20.00 (20 units, 300.00, average 15.00); sell 5 @
		// 30.00
		// realizes 150.00 - 75.00 = 75.00. 2026: sell the 15 left @ 12.00 realizes
		// 180.00 - 225.00 = -45.00 and closes the position (no holding is stored).
		String[][] trades = { { "t1", "2025-03-03", "buy", "10", "100.00", "10" },
				{ "t2", "2025-06-02", "buy", "10", "200.00", "20" },
				{ "t3", "2025-09-01", "sell", "-5", "-150.00", "30" },
				{ "t4", "2026-02-02", "sell", "-15", "-180.00", "12" } };
		for (String[] trade : trades) {
			this.jdbc
				.sql("""
						INSERT INTO investment_transactions (investment_transaction_id, account_id, item_id, user_id,
						    security_id, date, name, quantity, amount, price, fees, type, subtype, iso_currency_code, synced_at)
						VALUES (:id, :accountId, :itemId, :userId, 'sec-realized', CAST(:day AS date), :type,
						    CAST(:quantity AS numeric), CAST(:amount AS numeric), CAST(:price AS numeric), 0, :type, :type,
						    'USD', now())
						""")
				.param("id", subject + "-" + trade[0])
				.param("accountId", accountId)
				.param("itemId", itemId)
				.param("userId", userId)
				.param("day", trade[1])
				.param("type", trade[2])
				.param("quantity", trade[3])
				.param("amount", trade[4])
				.param("price", trade[5])
				.update();
		}

		JsonNode year2025 = api.get("/api/portfolio/realized?year=2025", token).expect(200).body();
		assertThat(year2025.path("method").asString()).isEqualTo("average_cost");
		assertThat(year2025.path("realized_gain").get(0).path("amount").asString()).isEqualTo("75.00");
		assertThat(year2025.path("realized_gain").get(0).path("currency").asString()).isEqualTo("USD");
		JsonNode security = year2025.path("securities").get(0);
		assertThat(security.path("ticker").asString()).isEqualTo("RLZD");
		assertThat(security.path("closed").asBoolean()).isTrue();

		JsonNode year2026 = api.get("/api/portfolio/realized?year=2026&method=average", token).expect(200).body();
		assertThat(year2026.path("securities")).hasSize(1);
		assertThat(year2026.path("securities").get(0).path("realized_gain").path("amount").asString())
			.isEqualTo("-45.00");
		assertThat(year2026.path("securities").get(0).path("account_id").asString()).isEqualTo(accountId);

		assertThat(api.get("/api/portfolio/realized?year=2024", token).expect(200).body().path("securities")).isEmpty();
		assertThat(api.get("/api/portfolio/realized?year=20x5", token).expect(400).body().path("error").asString())
			.isEqualTo("invalid_year");
		assertThat(api.get("/api/portfolio/realized?method=fifo", token).expect(400).body().path("message").asString())
			.isEqualTo("method must be average (average cost), got 'fifo'.");
		assertThat(api.get("/api/portfolio/realized?yaer=2025", token).expect(400).body().path("message").asString())
			.isEqualTo("GET /api/portfolio/realized does not take 'yaer'; it takes method, year.");
	}

}
