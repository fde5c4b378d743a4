package dev.plaidsync.sync;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The operators' item jobs are ordinary jobs on the runtime: the webhook URL update reads
 * the active items with the sweeps' reader, stores each new URL, records an item it
 * cannot update in the runtime's failure log (the execution's failed items), and keeps
 * the syncs' progress counters; a second run is refused while one runs.
 */
@EngineIntegrationTest
// the update points every active item at another URL and leaves a token unreadable: later
// tests get a fresh engine
@DirtiesContext
class MaintenanceJobsIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@Autowired
	MaintenanceJobs jobs;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobExecutions executions;

	@Test
	void theWebhookUrlUpdateStoresEachNewUrlAndLogsTheItemItCannotUpdateWithProgress() throws Exception {
		UUID user = this.users.idFor("maintenance-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 3, "ins_900001", "maintenance-" + user);
		String unreadable = items.get(2);
		this.jdbc.sql("UPDATE plaid_items SET access_token_key_id = 'retired-key' WHERE item_id = :item")
			.param("item", unreadable)
			.update();
		long active = this.jdbc.sql("SELECT count(*) FROM plaid_items WHERE status = 'ACTIVE'")
			.query(Long.class)
			.single();
		String url = "https://hooks.example.com/webhook/plaid?run=" + UUID.randomUUID();

		JobExecution started = this.jobs.startWebhookUrlUpdate(url);
		await().atMost(Duration.ofSeconds(120))
			.until(() -> !this.jobRepository.getJobExecution(started.getId()).isRunning());

		JobExecution ended = this.jobRepository.getJobExecution(started.getId());
		assertThat(ended.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		for (String item : items.subList(0, 2)) {
			assertThat(this.simulator.item(item).webhookUrl()).isEqualTo(url);
			assertThat(storedUrl(item)).isEqualTo(url);
		}
		assertThat(this.simulator.item(unreadable).webhookUrl()).isNotEqualTo(url);
		assertThat(storedUrl(unreadable)).isNotEqualTo(url);
		assertThat(this.executions.failedItems(started.getId())).anySatisfy((failed) -> {
			assertThat(failed.itemId()).isEqualTo(unreadable);
			assertThat(failed.errorCode()).isEqualTo("ACCESS_TOKEN_UNREADABLE");
			assertThat(failed.message()).contains("retired-key");
		});

		StepExecution step = ended.getStepExecutions().iterator().next();
		SyncProgress progress = SyncProgress.of(step);
		assertThat(progress.jobName()).isEqualTo(MaintenanceJobs.WEBHOOK_URL_UPDATE);
		assertThat(progress.total()).isEqualTo(active);
		assertThat(progress.done()).isEqualTo(progress.total());
		assertThat(progress.failed()).isEqualTo(this.executions.failedItems(started.getId()).size()).isPositive();
	}

	@Test
	void aSecondRunIsRefusedWhileOneRuns() {
		long running = 9_300_001;
		this.jdbc
			.sql("""
					INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key) VALUES (:id, 0, :job, md5(CAST(:id AS text)));
					INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, status, exit_code, last_updated)
					VALUES (:id, 1, :id, localtimestamp, localtimestamp, 'STARTED', 'UNKNOWN', localtimestamp);
					""")
			.param("id", running)
			.param("job", MaintenanceJobs.WEBHOOK_URL_UPDATE)
			.update();
		try {
			assertThatThrownBy(() -> this.jobs.startWebhookUrlUpdate("https://hooks.example.com/webhook/plaid"))
				.isInstanceOf(MaintenanceJobs.AlreadyRunning.class)
				.hasMessage("A webhook URL update is already running; stop it or wait for it to end");
			assertThat(this.jdbc
				.sql("""
						SELECT count(*) FROM batch_job_execution e JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
						WHERE i.job_name = :job AND e.job_execution_id <> :id AND e.status IN ('STARTING', 'STARTED')
						""")
				.param("job", MaintenanceJobs.WEBHOOK_URL_UPDATE)
				.param("id", running)
				.query(Long.class)
				.single()).as("runs started besides the running one").isZero();
		}
		finally {
			this.jdbc.sql(
					"UPDATE batch_job_execution SET status = 'ABANDONED', end_time = localtimestamp WHERE job_execution_id = :id")
				.param("id", running)
				.update();
		}
	}

	private String storedUrl(String itemId) {
		return this.jdbc.sql("SELECT webhook_url FROM plaid_items WHERE item_id = :item")
			.param("item", itemId)
			.query((row, number) -> row.getString("webhook_url"))
			.list()
			.get(0);
	}

}
