package dev.plaidsync.sync.runtime;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.plaidsync.common.NodeIdentity;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every thread of the shared scheduler is held by long tasks. The heartbeat still beats,
 * so the node keeps its running execution even when another node (here: the test, running
 * the orphan check itself) looks for dead nodes' work; and orphan recovery, on its own
 * thread too, still marks a dead node's execution.
 */
@EngineIntegrationTest
@TestPropertySource(properties = { "plaidsync.ops.heartbeat-interval=300ms", "plaidsync.ops.orphan-after=5s",
		"plaidsync.ops.recovery-interval=300ms", "plaidsync.ops.auto-resume=false", "plaidsync.ops.retention-batch=2" })
class SchedulerSaturationIntegrationTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ThreadPoolTaskScheduler sharedScheduler;

	@Autowired
	OrphanRecovery recovery;

	@Autowired
	NodeIdentity node;

	@Test
	void aBusyNodeKeepsItsExecutionsAndADeadNodesAreStillRecovered() throws Exception {
		long mine = 9_000_001;
		long deadNodes = 9_000_002;
		execution(mine, this.node.id());
		this.jdbc.sql(
				"INSERT INTO engine_nodes (node_id, host, last_seen_at) VALUES ('dead-node', 'gone', now() - interval '1 hour')")
			.update();
		execution(deadNodes, "dead-node");

		int threads = this.sharedScheduler.getPoolSize();
		CountDownLatch busy = new CountDownLatch(threads);
		CountDownLatch release = new CountDownLatch(1);
		try {
			for (int i = 0; i < threads; i++) {
				this.sharedScheduler.execute(() -> {
					busy.countDown();
					try {
						release.await(2, TimeUnit.MINUTES);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
			}
			assertThat(busy.await(30, TimeUnit.SECONDS)).as("all %d shared scheduler threads busy", threads).isTrue();

			await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(status(deadNodes)));
			// longer than orphan-after: a heartbeat that had queued behind the busy
			// threads would let this node be
			// declared dead within the window; a heartbeat that a loaded machine delays
			// by a second or two does not
			await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(30)).until(() -> {
				this.recovery.markOrphans();
				return "STARTED".equals(status(mine)) && this.jdbc.sql("""
						SELECT last_seen_at > now() - interval '5 seconds' FROM engine_nodes WHERE node_id = :node
						""").param("node", this.node.id()).query(Boolean.class).single();
			});
			assertThat(
					this.jdbc.sql("SELECT orphaned_at IS NULL FROM job_execution_owners WHERE job_execution_id = :id")
						.param("id", mine)
						.query(Boolean.class)
						.single())
				.isTrue();
		}
		finally {
			release.countDown();
			this.jdbc.sql(
					"UPDATE batch_job_execution SET status = 'ABANDONED', end_time = localtimestamp WHERE job_execution_id = :id")
				.param("id", mine)
				.update();
		}
	}

	private void execution(long id, String node) {
		this.jdbc
			.sql("""
					INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) VALUES (:id, 0, 'holdingsSyncJob', md5(CAST(:id AS text)));
					INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, status, exit_code, last_updated)
					VALUES (:id, 1, :id, localtimestamp, localtimestamp, 'STARTED', 'UNKNOWN', localtimestamp);
					INSERT INTO job_execution_owners (job_execution_id, job_name, node_id) VALUES (:id, 'holdingsSyncJob', :node);
					""")
			.param("id", id)
			.param("node", node)
			.update();
	}

	private String status(long id) {
		return this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
			.param("id", id)
			.query(String.class)
			.single();
	}

}
