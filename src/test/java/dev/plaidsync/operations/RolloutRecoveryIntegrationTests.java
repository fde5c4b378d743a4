package dev.plaidsync.operations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.testsupport.EngineProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rollouts and crashes of a forked engine in the middle of a nightly holdings sweep,
 * while this JVM owns the database: another engine finds the run and completes it on its
 * own, with no duplicates. This JVM's own engine does not recover anything here, nor take
 * the forked engines' queued runs (it never polls the shared launch queue), so that the
 * forked engines are shown doing it.
 */
@EngineIntegrationTest
@TestPropertySource(properties = { "plaidsync.ops.auto-resume=false", "plaidsync.ops.recovery-interval=1h",
		"plaidsync.sync.reconcile-interval=1h", "plaidsync.sync.queue-poll-interval=1h" })
class RolloutRecoveryIntegrationTests {

	private static final int ITEMS = 150;

	@Autowired
	ApplicationContext context;

	@Autowired
	Environment environment;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@TempDir
	Path workDirectory;

	EngineProcess first;

	EngineProcess second;

	@AfterEach
	void stopEngines() {
		if (this.first != null) {
			this.first.close();
		}
		if (this.second != null) {
			this.second.close();
		}
	}

	@Test
	void aSigtermStopsTheRunAtAChunkBoundaryAndAnotherEngineResumesIt() {
		UUID user = this.users.idFor("rollout-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, ITEMS, "ins_900001", "rollout-" + user);
		this.first = EngineProcess.start(this.workDirectory.resolve("a"), childEnvironment(true));
		awaitMidRun(user);

		assertThat(this.first.terminate(Duration.ofSeconds(90))).as("exit code after SIGTERM").isIn(0, 143);
		long stopped = latestSweep();
		assertThat(status(stopped)).as("recorded at a chunk boundary, not left running").isEqualTo("STOPPED");
		long committed = synced(user);
		assertThat(committed).isGreaterThan(0).isLessThan(ITEMS);
		discardLaterScheduleSlots();

		this.second = EngineProcess.start(this.workDirectory.resolve("b"), childEnvironment(false));

		awaitCompleted(user, items);
		assertThat(this.jdbc.sql(
				"SELECT stopped_for_shutdown_at IS NOT NULL AND resumed_as IS NOT NULL FROM job_execution_owners WHERE job_execution_id = :id")
			.param("id", stopped)
			.query(Boolean.class)
			.single()).as("marked stopped for shutdown, then resumed").isTrue();
	}

	@Test
	void aKillNineLeavesAnOrphanThatAnotherEngineMarksResumesAndCompletes() {
		UUID user = this.users.idFor("crash-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, ITEMS, "ins_900002", "crash-" + user);
		this.first = EngineProcess.start(this.workDirectory.resolve("a"), childEnvironment(true));
		awaitMidRun(user);

		this.first.kill();
		long orphan = latestSweep();
		assertThat(status(orphan)).as("a killed engine leaves its run marked running").isEqualTo("STARTED");
		assertThat(this.jdbc.sql(
				"SELECT count(*) > 0 AND bool_and(ended_at IS NULL) FROM sync_run_requests WHERE job_execution_id = :id")
			.param("id", orphan)
			.query(Boolean.class)
			.single()).as("its requests wait, none ended").isTrue();
		assertThat(synced(user)).isGreaterThan(0).isLessThan(ITEMS);
		discardLaterScheduleSlots();

		this.second = EngineProcess.start(this.workDirectory.resolve("b"), childEnvironment(false));

		awaitCompleted(user, items);
		assertThat(status(orphan)).isEqualTo("FAILED");
		assertThat(this.jdbc.sql(
				"SELECT orphaned_at IS NOT NULL AND resumed_as IS NOT NULL FROM job_execution_owners WHERE job_execution_id = :id")
			.param("id", orphan)
			.query(Boolean.class)
			.single()).as("marked orphaned, then resumed").isTrue();
		long resumed = this.jdbc.sql("SELECT resumed_as FROM job_execution_owners WHERE job_execution_id = :id")
			.param("id", orphan)
			.query(Long.class)
			.single();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.jdbc
				.sql("""
						SELECT run_status || ' #' || job_execution_id FROM sync_run_requests
						WHERE run_row_id = (SELECT run_row_id FROM sync_run_requests WHERE job_execution_id IN (:orphan, :resumed) LIMIT 1)
						""")
				.param("orphan", orphan)
				.param("resumed", resumed)
				.query(String.class)
				.list()).as("the sweep's requests stayed with the orphaned run and ended with its resumed execution")
				.isNotEmpty()
				.containsOnly("COMPLETED #" + resumed));
	}

	private void awaitMidRun(UUID user) {
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> synced(user) >= 40);
	}

	private void awaitCompleted(UUID user, List<String> items) {
		await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).until(() -> synced(user) == ITEMS);
		assertThat(this.jdbc.sql("SELECT count(*) FROM holdings WHERE user_id = :user")
			.param("user", user)
			.query(Long.class)
			.single()).as("no duplicate or missing holdings").isEqualTo(expectedHoldings(items));
	}

	/**
	 * The next schedule slots, requested while the killed run was in progress, are not
	 * the subject here.
	 */
	private void discardLaterScheduleSlots() {
		this.jdbc.sql("DELETE FROM sync_requests WHERE state = 'PENDING'").update();
	}

	private long latestSweep() {
		return this.jdbc
			.sql("""
					SELECT max(e.job_execution_id) FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
					WHERE i.job_name = 'holdingsSyncJob'
					""")
			.query(Long.class)
			.single();
	}

	private String status(long execution) {
		return this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
			.param("id", execution)
			.query(String.class)
			.single();
	}

	private long synced(UUID user) {
		return this.jdbc
			.sql("SELECT count(*) FROM plaid_items WHERE user_id = :user AND holdings_synced_at IS NOT NULL")
			.param("user", user)
			.query(Long.class)
			.single();
	}

	private long expectedHoldings(List<String> items) {
		long total = 0;
		for (String itemId : items) {
			SimItem item = this.simulator.item(itemId);
			Set<String> investment = item.accounts()
				.stream()
				.filter((account) -> "investment".equals(account.type()))
				.map(SimAccount::accountId)
				.collect(Collectors.toSet());
			total += item.holdings().stream().filter((holding) -> investment.contains(holding.accountId())).count();
		}
		return total;
	}

	private Map<String, String> childEnvironment(boolean runsTheNightlySweep) {
		Map<String, String> environment = EngineProcess
			.withSlowHoldingsSweeps(EngineProcess.environmentOn(this.environment.getProperty("spring.datasource.url"),
					this.environment.getProperty("plaidsync.token.key"), this.workDirectory.resolve("data")));
		if (!runsTheNightlySweep) {
			environment.put("PLAIDSYNC_SYNC_SCHEDULES_HOLDINGS", "-");
		}
		environment.put("PLAIDSYNC_OPS_HEARTBEATINTERVAL", "1s");
		environment.put("PLAIDSYNC_OPS_ORPHANAFTER", "4s");
		environment.put("PLAIDSYNC_OPS_RECOVERYINTERVAL", "1s");
		return environment;
	}

}
