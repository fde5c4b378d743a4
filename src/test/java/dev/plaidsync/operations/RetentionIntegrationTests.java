package dev.plaidsync.operations;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention in tiers, in batches of two (so every loop turns): a completed webhook-style
 * single-item run goes after 7 days with everything Spring Batch and the engine keep
 * about it; a completed sweep and a failed single-item run stay until 90 days; an
 * unresolved failed sweep stays however old; webhook events go after 90 days unless in
 * flight.
 */
@EngineIntegrationTest
@TestPropertySource(properties = { "plaidsync.ops.heartbeat-interval=300ms", "plaidsync.ops.orphan-after=2s",
		"plaidsync.ops.recovery-interval=300ms", "plaidsync.ops.auto-resume=false", "plaidsync.ops.retention-batch=2" })
class RetentionIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	Retention retention;

	@Test
	void eachTierGoesAtItsAge() {
		UUID user = this.users.idFor("retention-" + UUID.randomUUID());
		String item = TestItems.create(this.context, user, 1, "ins_900001", "retention").get(0);
		long singleRun = run(SyncJob.HOLDINGS, SyncScope.item(item));
		long userRun = run(SyncJob.BALANCES, SyncScope.user(user));
		long sweep = run(SyncJob.HOLDINGS, SyncScope.all());
		long failedSingleRun = fakeFailedRun(8_000_001, "ITEM");
		long failedSweep = fakeFailedRun(8_000_002, "ALL");
		List<Long> all = List.of(singleRun, userRun, sweep, failedSingleRun, failedSweep);
		for (int n = 0; n < 5; n++) {
			this.jdbc
				.sql("""
						INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, created_at, status, verification, body_sha256)
						VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :item, now() - interval '100 days', 'DONE', 'VERIFIED', md5(random()::text))
						""")
				.param("item", item)
				.update();
		}
		this.jdbc
			.sql("""
					INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, created_at, status, verification, body_sha256)
					VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :item, now() - interval '100 days', 'RECEIVED', 'VERIFIED', 'in-flight')
					""")
			.param("item", item)
			.update();

		endedDaysAgo(all, 10);
		this.retention.purge();
		assertThat(remaining(all)).containsExactlyInAnyOrder(sweep, failedSingleRun, failedSweep);
		assertThat(count("SELECT count(*) FROM batch_step_execution WHERE job_execution_id IN (:ids)",
				List.of(singleRun, userRun)))
			.isZero();
		assertThat(count("SELECT count(*) FROM batch_job_execution_params WHERE job_execution_id IN (:ids)",
				List.of(singleRun, userRun)))
			.isZero();
		assertThat(count("SELECT count(*) FROM job_execution_owners WHERE job_execution_id IN (:ids)",
				List.of(singleRun, userRun)))
			.isZero();
		assertThat(this.jdbc.sql("SELECT status FROM plaid_webhook_events WHERE item_id = :item")
			.param("item", item)
			.query(String.class)
			.list()).containsExactly("RECEIVED");

		endedDaysAgo(all, 100);
		this.retention.purge();
		assertThat(remaining(all)).containsExactly(failedSweep);
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM batch_job_instance i WHERE NOT EXISTS "
					+ "(SELECT 1 FROM batch_job_execution e WHERE e.job_instance_id = i.job_instance_id)")
			.query(Long.class)
			.single()).as("job instances left without executions").isZero();
	}

	private long run(SyncJob job, SyncScope scope) {
		LaunchOutcome outcome = this.launcher.request(job, scope, "retention:" + UUID.randomUUID(),
				SyncOptions.interactive());
		assertThat(outcome.jobExecutionId()).as(outcome.message()).isNotNull();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> "COMPLETED"
				.equals(this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
					.param("id", outcome.jobExecutionId())
					.query(String.class)
					.single()));
		return outcome.jobExecutionId();
	}

	private long fakeFailedRun(long id, String scope) {
		this.jdbc
			.sql("""
					INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) VALUES (:id, 0, 'holdingsSyncJob', md5(CAST(:id AS text)));
					INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, end_time, status, exit_code, exit_message, last_updated)
					VALUES (:id, 2, :id, localtimestamp, localtimestamp, localtimestamp, 'FAILED', 'FAILED', 'Plaid was down', localtimestamp);
					INSERT INTO batch_job_execution_params (job_execution_id, parameter_name, parameter_type, parameter_value, identifying)
					VALUES (:id, 'scope', 'java.lang.String', :scope, 'Y');
					INSERT INTO job_execution_owners (job_execution_id, job_name, node_id) VALUES (:id, 'holdingsSyncJob', 'old-node');
					""")
			.param("id", id)
			.param("scope", scope)
			.update();
		return id;
	}

	private void endedDaysAgo(List<Long> executions, int days) {
		this.jdbc.sql(
				"UPDATE batch_job_execution SET end_time = localtimestamp - make_interval(days => :days) WHERE job_execution_id IN (:ids)")
			.param("days", days)
			.param("ids", executions)
			.update();
	}

	private List<Long> remaining(List<Long> executions) {
		return this.jdbc.sql("SELECT job_execution_id FROM batch_job_execution WHERE job_execution_id IN (:ids)")
			.param("ids", executions)
			.query(Long.class)
			.list();
	}

	private long count(String sql, List<Long> ids) {
		return this.jdbc.sql(sql).param("ids", ids).query(Long.class).single();
	}

}
