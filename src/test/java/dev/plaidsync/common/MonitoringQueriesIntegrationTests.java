package dev.plaidsync.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class MonitoringQueriesIntegrationTests {

	private final JdbcClient jdbc = JdbcClient
		.create(new DriverManagerDataSource(TestDatabase.newMigratedDatabaseUrl(), TestDatabase.username(), ""));

	@Test
	void webhookHealthCountsTheLast24HoursByTypeAndCode() throws IOException {
		UserDataFixture fixture = new UserDataFixture(this.jdbc);
		UUID user = fixture.insertUserWithData("health");
		insertEvent("HOLDINGS", "DEFAULT_UPDATE", "DONE", true, 30, "now()", user);
		insertEvent("HOLDINGS", "DEFAULT_UPDATE", "FAILED", false, 60, "now()", user);
		insertEvent("HOLDINGS", "DEFAULT_UPDATE", "DONE", true, 1000, "now() - interval '25 hours'", user);
		insertEvent("ITEM", "ERROR", "RECEIVED", null, null, "now()", user);

		List<Map<String, Object>> rows = this.jdbc.sql(query("webhook_health.sql")).query().listOfRows();

		assertThat(rows).hasSize(2);
		Map<String, Object> holdings = rows.get(0);
		assertThat(holdings).containsEntry("webhook_type", "HOLDINGS")
			.containsEntry("webhook_code", "DEFAULT_UPDATE")
			.containsEntry("total_events", 3L)
			.containsEntry("successful", 2L)
			.containsEntry("failed", 1L);
		assertThat(holdings.get("avg_processing_time_ms").toString()).isEqualTo("34.0");
		assertThat(rows.get(1)).containsEntry("webhook_type", "ITEM")
			.containsEntry("in_progress", 1L)
			.containsEntry("successful", 0L);
	}

	@Test
	void freshnessListsUsersWhoseNewestSyncOfAProductIsOlderThanItsThreshold() throws IOException {
		UserDataFixture fixture = new UserDataFixture(this.jdbc);
		UUID fresh = fixture.insertUserWithData("fresh");
		UUID staleHoldings = fixture.insertUserWithData("stale");
		this.jdbc.sql("UPDATE plaid_items SET holdings_synced_at = now() - interval '30 hours' WHERE user_id = :id")
			.param("id", staleHoldings)
			.update();
		this.jdbc.sql("UPDATE user_investment_accounts SET sync_status = 'error' WHERE user_id = :id")
			.param("id", staleHoldings)
			.update();

		List<Map<String, Object>> rows = this.jdbc.sql(query("data_freshness.sql"))
			.param("holdingsMaxAgeSeconds", 26 * 3600)
			.param("transactionsMaxAgeSeconds", 26 * 3600)
			.param("balancesMaxAgeSeconds", 7 * 3600)
			.query()
			.listOfRows();

		assertThat(rows).hasSize(1);
		assertThat(rows.get(0)).containsEntry("user_id", staleHoldings)
			.containsEntry("product", "holdings")
			.containsEntry("account_count", 1L)
			.containsEntry("error_accounts", 1L);
		assertThat(rows).noneMatch((row) -> fresh.equals(row.get("user_id")));
	}

	private void insertEvent(String type, String code, String status, Boolean success, Integer durationMs,
			String createdAt, UUID user) {
		this.jdbc
			.sql("INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, user_id, verification, body_sha256, "
					+ "status, success, processing_duration_ms, created_at) VALUES (:type, :code, 'item-x', :user, 'VERIFIED', 'h', "
					+ ":status, :success, :duration, " + createdAt + ")")
			.param("type", type)
			.param("code", code)
			.param("user", user)
			.param("status", status)
			.param("success", success)
			.param("duration", durationMs)
			.update();
	}

	private static String query(String name) throws IOException {
		return new ClassPathResource("sql/monitoring/" + name).getContentAsString(StandardCharsets.UTF_8);
	}

}
