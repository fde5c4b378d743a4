package dev.plaidsync.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation over stored snapshots and transactions, as the sync stores them: a T+1
 * trade is one timing difference that never alerts, a lost transaction is a break that
 * alerts once older than the settlement window, and /ops/reconciliation shows which is
 * which.
 */
@EngineIntegrationTest
class SettlementReconciliationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Reconciliation reconciliation;

	@Test
	void aTPlusOneTradeIsATimingDifferenceAndALostTransactionABreakThatAlerts() throws Exception {
		String subject = "settle-" + UUID.randomUUID();
		UUID userId = this.jdbc.sql("INSERT INTO app_users (auth_subject) VALUES (:subject) RETURNING id")
			.param("subject", subject)
			.query(UUID.class)
			.single();
		String itemId = "item-" + subject;
		String accountId = "acct-" + subject;
		this.jdbc.sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, access_token_ciphertext, access_token_key_id,
				    holdings_synced_at, transactions_synced_at)
				VALUES (:itemId, :userId, 'ins_900001', '\\x00'::bytea, 'k1', now(), now())
				""").param("itemId", itemId).param("userId", userId).update();
		long accountKey = this.jdbc.sql("""
				INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, type, subtype)
				VALUES (:accountId, :itemId, :userId, 'Brokerage', 'investment', 'brokerage') RETURNING id
				""")
			.param("accountId", accountId)
			.param("itemId", itemId)
			.param("userId", userId)
			.query(Long.class)
			.single();
		String traded = "sec-tplus1-" + subject;
		String lost = "sec-lost-" + subject;
		for (String security : List.of(traded, lost)) {
			this.jdbc.sql("INSERT INTO securities (security_id, name, type) VALUES (:id, :id, 'equity')")
				.param("id", security)
				.update();
			this.jdbc.sql("INSERT INTO history_securities (security_id) VALUES (:id)").param("id", security).update();
		}
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		LocalDate first = today.minusDays(9);
		LocalDate second = today.minusDays(8);
		LocalDate third = today.minusDays(7);
		// traded: 0, 10, 10 units; its buy of 10 is dated the third day (T+1):
		// first->second +10 - 0 = +10, second->third 0 - 10 = -10: they net to zero a day
		// apart.
		// lost: 0, 0, 5 units with no transaction: second->third +5, a break; the third
		// day is
		// 7 calendar days (at least 5 business days) ago, past the 3-business-day window.
		snapshot(accountKey, userId, first, traded, "0", lost, "0");
		snapshot(accountKey, userId, second, traded, "10", lost, "0");
		snapshot(accountKey, userId, third, traded, "10", lost, "5");
		this.jdbc
			.sql("""
					INSERT INTO investment_transactions (investment_transaction_id, account_id, item_id, user_id, security_id,
					    date, name, quantity, amount, price, type, subtype, synced_at)
					VALUES (:id, :accountId, :itemId, :userId, :security, :day, 'BUY', 10, 100, 10, 'buy', 'buy', now() - interval '1 hour')
					""")
			.param("id", "txn-" + subject)
			.param("accountId", accountId)
			.param("itemId", itemId)
			.param("userId", userId)
			.param("security", traded)
			.param("day", third)
			.update();

		this.reconciliation.reconcileUser(userId);

		Map<String, Object[]> stored = new TreeMap<>();
		this.jdbc
			.sql("SELECT security_id, from_day, kind, alerts_from FROM reconciliation_breaks WHERE account_id = :a")
			.param("a", accountId)
			.query((rs) -> {
				stored.put(rs.getString(1) + "|" + rs.getObject(2, LocalDate.class),
						new Object[] { rs.getString(3), rs.getObject(4, LocalDate.class) });
			});
		assertThat(stored).containsOnlyKeys(traded + "|" + first, traded + "|" + second, lost + "|" + second);
		assertThat(stored.get(traded + "|" + first)).containsExactly("timing_difference", null);
		assertThat(stored.get(traded + "|" + second)).containsExactly("timing_difference", null);
		assertThat(stored.get(lost + "|" + second)[0]).isEqualTo("break");
		assertThat((LocalDate) stored.get(lost + "|" + second)[1]).isBeforeOrEqualTo(today)
			.isEqualTo(SettlementTiming.alertsFrom(third, 3));

		JsonNode listed = JsonMapper.shared().readTree(ops("/ops/reconciliation?size=100"));
		JsonNode account = null;
		for (JsonNode candidate : listed.path("accounts")) {
			if (candidate.path("account_id").asString().equals(accountId)) {
				account = candidate;
			}
		}
		assertThat(account).as("the account on /ops/reconciliation").isNotNull();
		Map<String, String> shown = new TreeMap<>();
		account.path("securities")
			.forEach((security) -> shown.put(security.path("security_id").asString(),
					security.path("kind").asString() + "," + security.path("alerting").asBoolean()));
		assertThat(shown).containsEntry(lost, "break,true").containsEntry(traded, "timing_difference,false");
	}

	private void snapshot(long accountKey, UUID userId, LocalDate day, String firstSecurity, String firstQuantity,
			String secondSecurity, String secondQuantity) {
		this.jdbc.sql("""
				INSERT INTO holdings_history (account_key, day, user_id, total_currencies, total_values, security_keys,
				    quantities, institution_values, fetched_at)
				SELECT :accountKey, :day, :userId, '{USD}', '{0}',
				       ARRAY[(SELECT security_key FROM history_securities WHERE security_id = :first),
				             (SELECT security_key FROM history_securities WHERE security_id = :second)],
				       ARRAY[CAST(:firstQuantity AS numeric), CAST(:secondQuantity AS numeric)], '{0,0}',
				       now() - interval '2 hours'
				""")
			.param("accountKey", accountKey)
			.param("day", day)
			.param("userId", userId)
			.param("first", firstSecurity)
			.param("second", secondSecurity)
			.param("firstQuantity", firstQuantity)
			.param("secondQuantity", secondQuantity)
			.update();
	}

	private String ops(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.header("Authorization", "Bearer test-ops-token")
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new UncheckedIOException(new IOException(response.statusCode() + " " + response.body()));
		}
		return response.body();
	}

}
