package dev.plaidsync.portfolio;

import java.time.LocalDate;
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
 * {@code GET /api/portfolio/history} over real HTTP, on snapshots stored as the sync
 * stores them: a 401k whose snapshot lags a day is carried into the latest day, and a
 * snapshot from before the range is carried into it, each with its as-of day.
 */
@EngineIntegrationTest
class HistoryAsOfIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Test
	void theLaggingAccountIsCarriedIntoTheLatestDay() {
		UserApiClient api = new UserApiClient(this.port);
		String subject = "asof-" + UUID.randomUUID();
		String token = api.demoToken(subject);
		UUID userId = this.users.idFor(subject);
		String itemId = "item-" + subject;
		this.jdbc.sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, access_token_ciphertext, access_token_key_id)
				VALUES (:itemId, :userId, 'ins_1', '\\x00'::bytea, 'k1')
				""").param("itemId", itemId).param("userId", userId).update();
		long brokerage = account(itemId, userId, "a-brokerage-" + subject, "Brokerage");
		long retirement = account(itemId, userId, "b-401k-" + subject, "401k");
		LocalDate monday = LocalDate.of(2026, 11, 30);
		LocalDate wednesday = LocalDate.of(2026, 12, 2);
		LocalDate thursday = LocalDate.of(2026, 12, 3);
		// Monday, before the range: the 401k at 3,000.00. Wednesday: brokerage 2,000.00,
		// 401k 3,100.00. Thursday: brokerage 2,050.00 only (the 401k's prices lag).
		snapshot(retirement, userId, monday, "3000");
		snapshot(brokerage, userId, wednesday, "2000");
		snapshot(retirement, userId, wednesday, "3100");
		snapshot(brokerage, userId, thursday, "2050");

		JsonNode history = api.get("/api/portfolio/history?from=2026-12-01&to=2026-12-03", token).expect(200).body();

		assertThat(history.path("stale_after_days").asInt()).isEqualTo(3);
		JsonNode days = history.path("days");
		assertThat(days).hasSize(3);
		// Tuesday: only the 401k's Monday 3,000.00, carried in from before the range
		assertThat(days.get(0).path("day").asString()).isEqualTo("2026-12-01");
		assertThat(days.get(0).path("total_value").get(0).path("amount").asString()).isEqualTo("3000.00");
		assertThat(days.get(0).path("accounts").get(0).path("as_of").asString()).isEqualTo("2026-11-30");
		// Wednesday: 2,000.00 + 3,100.00 = 5,100.00
		assertThat(days.get(1).path("total_value").get(0).path("amount").asString()).isEqualTo("5100.00");
		// Thursday: 2,050.00 + the 401k's Wednesday 3,100.00 = 5,150.00, not 2,050.00
		JsonNode latest = days.get(2);
		assertThat(latest.path("day").asString()).isEqualTo("2026-12-03");
		assertThat(latest.path("total_value").get(0).path("amount").asString()).isEqualTo("5150.00");
		assertThat(latest.path("stale").asBoolean()).isFalse();
		assertThat(latest.path("accounts")).hasSize(2);
		assertThat(latest.path("accounts").get(1).path("name").asString()).isEqualTo("401k");
		assertThat(latest.path("accounts").get(1).path("as_of").asString()).isEqualTo("2026-12-02");
		assertThat(latest.path("accounts").get(1).path("total_value").get(0).path("amount").asString())
			.isEqualTo("3100.00");
	}

	private long account(String itemId, UUID userId, String accountId, String name) {
		return this.jdbc.sql("""
				INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, type, subtype)
				VALUES (:accountId, :itemId, :userId, :name, 'investment', '401k') RETURNING id
				""")
			.param("accountId", accountId)
			.param("itemId", itemId)
			.param("userId", userId)
			.param("name", name)
			.query(Long.class)
			.single();
	}

	private void snapshot(long accountKey, UUID userId, LocalDate day, String value) {
		this.jdbc.sql("""
				INSERT INTO holdings_history (account_key, day, user_id, total_currencies, total_values, security_keys,
				    quantities, institution_values, fetched_at)
				VALUES (:accountKey, :day, :userId, '{USD}', ARRAY[CAST(:value AS numeric)], '{}', '{}', '{}', now())
				""")
			.param("accountKey", accountKey)
			.param("day", day)
			.param("userId", userId)
			.param("value", value)
			.update();
	}

}
