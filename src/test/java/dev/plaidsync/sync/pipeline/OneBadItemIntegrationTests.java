package dev.plaidsync.sync.pipeline;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncRuns;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sixty items swept by every sync job, in chunks of ten. One item's answers carry a NUL
 * character (PostgreSQL text cannot hold it): the text is cleaned and stored, and
 * counted. Another item's rows are refused by the database (a check constraint): Batch
 * writes its chunk item by item, skips it into {@code sync_item_failures} with the
 * database's error, and the run completes with every other item's new data; the next run
 * does not stop on it either. This class has a database of its own, so the ALL-scope
 * sweeps see only its items.
 */
@EngineIntegrationTest
@TestPropertySource(properties = "plaidsync.sync.chunk-size=10")
class OneBadItemIntegrationTests {

	private static final int ITEMS = 60;

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	MeterRegistry meters;

	SyncRuns runs;

	List<String> items;

	String unstorableText;

	String refused;

	@BeforeEach
	void sixtyItemsSyncedOnce() {
		this.runs = new SyncRuns(this.launcher, this.jdbc);
		this.jdbc.sql("UPDATE plaid_items SET status = 'REMOVED' WHERE status = 'ACTIVE'").update();
		UUID user = this.users.idFor("bad-day-" + UUID.randomUUID());
		this.items = new ArrayList<>();
		for (String institution : List.of("ins_900001", "ins_900002", "ins_900003")) {
			this.items.addAll(TestItems.create(this.context, user, ITEMS / 3, institution, "bad-day-" + user));
		}
		SyncScope all = SyncScope.all();
		this.runs.runToCompletion(SyncJob.HOLDINGS, all, SyncOptions.interactive());
		this.runs.runToCompletion(SyncJob.TRANSACTIONS, all,
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));
		this.unstorableText = this.items.get(7);
		this.refused = this.items.get(33);
		this.simulator.setUnstorableText(this.unstorableText, true);
		// The database refuses every account row of this item from now on: its holdings,
		// transactions and balances writes fail.
		this.jdbc
			.sql("ALTER TABLE user_investment_accounts ADD CONSTRAINT refuses_one_item CHECK (item_id <> '"
					+ this.refused + "') NOT VALID")
			.update();
	}

	@AfterEach
	void calm() {
		this.jdbc.sql("ALTER TABLE user_investment_accounts DROP CONSTRAINT IF EXISTS refuses_one_item").update();
		this.simulator.setUnstorableText(this.unstorableText, false);
	}

	@Test
	void oneItemTheDatabaseRefusesIsSkippedAndRecordedWhileEveryOtherItemGetsItsNewRowsInEveryJob() {
		Map<String, String> newTransactions = new HashMap<>();
		for (String item : this.items) {
			SimAccount account = this.simulator.item(item)
				.accounts()
				.stream()
				.filter((candidate) -> "investment".equals(candidate.type()))
				.findFirst()
				.orElseThrow();
			newTransactions.put(item,
					this.simulator
						.addTransaction(item, account.accountId(), this.simulator.today(), new BigDecimal("12.34"))
						.investmentTransactionId());
		}
		double sanitizedBefore = sanitized();
		this.simulator.resetStats();

		long transactions = this.runs.runToCompletion(SyncJob.TRANSACTIONS, SyncScope.all(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));

		for (String item : this.items) {
			long stored = this.jdbc
				.sql("SELECT count(*) FROM investment_transactions WHERE investment_transaction_id = :id")
				.param("id", newTransactions.get(item))
				.query(Long.class)
				.single();
			assertThat(stored).as("item %s's new transaction", item).isEqualTo(item.equals(this.refused) ? 0 : 1);
		}
		assertThat(sanitized() - sanitizedBefore).as("text values cleaned of NUL").isGreaterThanOrEqualTo(2);
		assertThat(this.jdbc.sql(
				"SELECT count(*) FROM user_investment_accounts WHERE item_id = :item AND official_name LIKE '%(unstorable)'")
			.param("item", this.unstorableText)
			.query(Long.class)
			.single()).as("the cleaned text is stored").isPositive();
		assertRecordedAndSkippedOnce(transactions, "transactionsSyncStep");
		assertThat(this.jdbc.sql("SELECT last_error_code FROM plaid_items WHERE item_id = :item")
			.param("item", this.refused)
			.query(String.class)
			.single()).isEqualTo(ItemFailures.UNSTORABLE);

		this.simulator.resetStats();
		long holdings = this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.all(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		Map<String, Long> holdingsCalls = this.simulator.stats()
			.callsPerEndpointPerItem()
			.get("/investments/holdings/get");
		for (String item : this.items) {
			assertThat(holdingsCalls.get(item))
				.as("Plaid calls for %s: scanning a refused chunk rewrites, it does not fetch again", item)
				.isEqualTo(1L);
		}
		assertFreshExceptTheRefused("holdings_synced_at", holdings);
		assertRecordedAndSkippedOnce(holdings, "holdingsSyncStep");

		long balances = this.runs.runToCompletion(SyncJob.BALANCES, SyncScope.all(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		assertFreshExceptTheRefused("balances_synced_at", balances);
		assertRecordedAndSkippedOnce(balances, "balancesSyncStep");

		long again = this.runs.runToCompletion(SyncJob.TRANSACTIONS, SyncScope.all(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		assertRecordedAndSkippedOnce(again, "transactionsSyncStep");

		this.jdbc.sql("ALTER TABLE user_investment_accounts DROP CONSTRAINT refuses_one_item").update();
		this.runs.runToCompletion(SyncJob.TRANSACTIONS, SyncScope.all(),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		assertThat(this.jdbc.sql("SELECT count(*) FROM investment_transactions WHERE investment_transaction_id = :id")
			.param("id", newTransactions.get(this.refused))
			.query(Long.class)
			.single()).as("stored once the database accepts it").isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT last_error_code FROM plaid_items WHERE item_id = :item")
			.param("item", this.refused)
			.query(String.class)
			.optional()).isEmpty();
	}

	private void assertRecordedAndSkippedOnce(long execution, String step) {
		List<Map<String, Object>> failures = this.jdbc.sql(
				"SELECT item_id, failure_kind, error_code, message FROM sync_item_failures WHERE job_execution_id = :id")
			.param("id", execution)
			.query()
			.listOfRows();
		assertThat(failures).as("failures of #%d", execution).singleElement().satisfies((failure) -> {
			assertThat(failure).containsEntry("item_id", this.refused)
				.containsEntry("error_code", ItemFailures.UNSTORABLE);
			assertThat((String) failure.get("message")).contains("23514", "refuses_one_item");
		});
		assertThat(this.jdbc
			.sql("SELECT write_skip_count FROM batch_step_execution WHERE job_execution_id = :id AND step_name = :step")
			.param("id", execution)
			.param("step", step)
			.query(Long.class)
			.single()).isEqualTo(1L);
	}

	private void assertFreshExceptTheRefused(String syncedAtColumn, long execution) {
		List<String> stale = this.jdbc
			.sql("SELECT item_id FROM plaid_items WHERE item_id IN (:items) AND (" + syncedAtColumn + " IS NULL OR "
					+ syncedAtColumn + " < (SELECT start_time FROM batch_job_execution WHERE job_execution_id = :id))")
			.param("items", this.items)
			.param("id", execution)
			.query(String.class)
			.list();
		assertThat(stale).as("items the run left stale").containsExactly(this.refused);
	}

	private double sanitized() {
		return this.meters.counter("plaidsync.sync.text.sanitized").count();
	}

}
