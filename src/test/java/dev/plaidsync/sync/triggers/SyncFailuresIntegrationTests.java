package dev.plaidsync.sync.triggers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncRuns;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.sync.pipeline.SyncWriter;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EngineIntegrationTest
class SyncFailuresIntegrationTests {

	private static final String HOLDINGS = "/investments/holdings/get";

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
	JobRepository jobRepository;

	@Autowired
	ItemErrorCheck itemErrorCheck;

	SyncRuns runs;

	UUID user;

	@BeforeEach
	void setUp() {
		this.runs = new SyncRuns(this.launcher, this.jdbc);
		this.user = this.users.idFor("failures-" + UUID.randomUUID());
	}

	@AfterEach
	void calmTheSimulator() {
		this.simulator.setErrorRates(0, 0, 0);
		this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
	}

	@Test
	void withInjected429sAnd500sAndSomeBrokenLoginsTheRunCompletesAndBrokenItemsWaitForTheirUsers() {
		List<String> items = TestItems.create(this.context, this.user, 40, "ins_900002", "faults-" + this.user);
		List<String> broken = items.subList(0, 2);
		broken.forEach(this.simulator::requireLogin);
		this.simulator.setErrorRates(0.15, 0.15, 0);
		this.simulator.resetStats();

		this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.user(this.user),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));

		Map<String, Long> callsPerItem = this.simulator.stats().callsPerEndpointPerItem().get(HOLDINGS);
		for (String item : items) {
			Map<String, Object> row = this.jdbc
				.sql("SELECT status, status_reason, holdings_synced_at FROM plaid_items WHERE item_id = :item")
				.param("item", item)
				.query()
				.singleRow();
			if (broken.contains(item)) {
				assertThat(row).containsEntry("status", "NEEDS_USER")
					.containsEntry("status_reason", "ITEM_LOGIN_REQUIRED");
				assertThat(row.get("holdings_synced_at")).isNull();
				assertThat(callsPerItem.get(item))
					.as("calls for broken item %s: at most the retries of injected errors before its login fails, never after",
							item)
					.isBetween(1L, 5L);
			}
			else {
				assertThat(row).containsEntry("status", "ACTIVE");
				assertThat(row.get("holdings_synced_at")).as("healthy item %s synced", item).isNotNull();
			}
		}
		assertThat(this.simulator.stats().injectedErrors().values().stream().mapToLong(Long::longValue).sum())
			.as("errors were injected and retried through")
			.isGreaterThan(5);

		this.simulator.resetStats();
		this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.user(this.user),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		Map<String, Long> secondRun = this.simulator.stats().callsPerEndpointPerItem().get(HOLDINGS);
		broken.forEach(
				(item) -> assertThat(secondRun.getOrDefault(item, 0L)).as("a NEEDS_USER item is skipped").isZero());
		assertThat(this.jdbc.sql(
				"SELECT count(*) FROM sync_item_failures WHERE item_id IN (:items) AND error_code = 'ITEM_LOGIN_REQUIRED'")
			.param("items", broken)
			.query(Long.class)
			.single()).isEqualTo(2);
	}

	@Test
	void aRunFailsSoThatItCanBeRestartedWhenPlaidFailsForEveryItem() {
		TestItems.create(this.context, this.user, 30, "ins_900001", "systemic-" + this.user);
		this.simulator.setErrorRates(0, 1.0, 0);

		long execution = this.runs.start(SyncJob.HOLDINGS, SyncScope.user(this.user), SyncOptions.interactive());

		assertThat(this.runs.awaitEnd(execution)).isEqualTo("FAILED");
		assertThat(this.jdbc.sql("SELECT exit_message FROM batch_job_execution WHERE job_execution_id = :id")
			.param("id", execution)
			.query(String.class)
			.single()).contains("items failed", "INTERNAL_SERVER_ERROR");
	}

	@Test
	void theDailyItemCheckCatchesARepairWhoseWebhookWasLostAndALoginErrorWhoseWebhookWasLost() {
		List<String> items = TestItems.create(this.context, this.user, 2, "ins_900001", "check-" + this.user);
		String repairedOutsideTheApp = items.get(0);
		String brokenSilently = items.get(1);
		this.simulator.requireLogin(repairedOutsideTheApp);
		this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.user(this.user), SyncOptions.interactive());
		assertThat(status(repairedOutsideTheApp)).isEqualTo("NEEDS_USER");
		this.simulator.completeUpdateLink(repairedOutsideTheApp);
		this.simulator.requireLogin(brokenSilently);
		this.jdbc.sql("UPDATE plaid_items SET last_error_code = 'INTERNAL_SERVER_ERROR' WHERE item_id = :item")
			.param("item", brokenSilently)
			.update();

		this.itemErrorCheck.checkItemsInError();

		assertThat(status(repairedOutsideTheApp)).isEqualTo("ACTIVE");
		assertThat(status(brokenSilently)).isEqualTo("NEEDS_USER");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.sql("SELECT holdings_synced_at IS NOT NULL FROM plaid_items WHERE item_id = :item")
				.param("item", repairedOutsideTheApp)
				.query(Boolean.class)
				.single());
		new SyncRuns(this.launcher, this.jdbc).awaitIdle();
	}

	private String status(String item) {
		return this.jdbc.sql("SELECT status FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(String.class)
			.single();
	}

	@Test
	void aSnapshotFetchedBeforeANewerSyncWroteIsDroppedSoTheNewerDataStays() {
		String item = TestItems.create(this.context, this.user, 1, "ins_900001", "stale-" + this.user).get(0);
		this.simulator.setLatency(Duration.ofSeconds(3), Duration.ZERO);
		long sweep = this.runs.start(SyncJob.HOLDINGS, SyncScope.user(this.user),
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, null));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.simulator.stats()
				.callsPerEndpointPerItem()
				.getOrDefault(HOLDINGS, Map.of())
				.getOrDefault(item, 0L) >= 1);
		this.simulator.setLatency(Duration.ZERO, Duration.ZERO);

		long webhookRun = this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.item(item), SyncOptions.interactive());
		java.time.OffsetDateTime newerSync = this.jdbc
			.sql("SELECT holdings_synced_at FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(java.time.OffsetDateTime.class)
			.single();
		assertThat(this.runs.awaitEnd(sweep)).isEqualTo("COMPLETED");

		assertThat(this.jdbc.sql("SELECT holdings_synced_at FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(java.time.OffsetDateTime.class)
			.single()).as("the sweep's older snapshot did not overwrite").isEqualTo(newerSync);
		assertThat(this.jdbc.sql("SELECT DISTINCT synced_at FROM holdings WHERE item_id = :item")
			.param("item", item)
			.query(java.time.OffsetDateTime.class)
			.list()).containsExactly(newerSync);
		assertThat(this.jobRepository.getJobExecution(sweep).getStepExecutions()).singleElement()
			.satisfies(
					(step) -> assertThat(step.getExecutionContext().getLong(SyncWriter.DROPPED_STALE)).isEqualTo(1L));
		assertThat(webhookRun).isNotEqualTo(sweep);
	}

}
