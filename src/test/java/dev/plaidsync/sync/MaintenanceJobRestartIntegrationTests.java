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
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook URL update stops at a chunk boundary and its restart carries on from the
 * last committed chunk, like the syncs: every item is pointed at the new URL, none is
 * written twice, and the restart's progress counts only what was left. Plaid's
 * /item/webhook/update budget is shrunk (60 per 3 s) so that the run is still going when
 * it is stopped; this context's database holds only this test's items.
 */
@EngineIntegrationTest
@TestPropertySource(
		properties = { "plaid.budget.window=3s", "plaid.budget.client-limits-per-minute.item_webhook_update=60",
				"plaid.budget.item-limits-per-minute.item_webhook_update=100000" })
class MaintenanceJobRestartIntegrationTests {

	private static final int ITEMS = 150;

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
	JobOperator jobOperator;

	@Test
	void aStoppedUpdateRestartsFromItsLastCommittedChunkAndMissesNoItem() throws Exception {
		List<String> items = TestItems.create(this.context, this.users.idFor("restart-url-" + UUID.randomUUID()), ITEMS,
				"ins_900001", "restart-url");
		assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_items WHERE status = 'ACTIVE'").query(Long.class).single())
			.as("this context's database holds only this test's items")
			.isEqualTo(ITEMS);
		String url = "https://hooks.example.com/webhook/plaid?restart=" + UUID.randomUUID();

		JobExecution first = this.jobs.startWebhookUrlUpdate(url);
		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> step(first.getId()).getWriteCount() > 0);
		this.jobOperator.stop(this.jobRepository.getJobExecution(first.getId()));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.jobRepository.getJobExecution(first.getId()).getStatus() == BatchStatus.STOPPED);
		long doneBeforeStop = step(first.getId()).getWriteCount();
		assertThat(doneBeforeStop).as("items committed when the stop landed").isStrictlyBetween(0L, (long) ITEMS);
		assertThat(SyncProgress.of(step(first.getId())).total()).isEqualTo(ITEMS);
		assertThat(updated(url)).isEqualTo(doneBeforeStop);

		JobExecution second = this.jobOperator.restart(this.jobRepository.getJobExecution(first.getId()));
		await().atMost(Duration.ofSeconds(120))
			.until(() -> !this.jobRepository.getJobExecution(second.getId()).isRunning());

		assertThat(this.jobRepository.getJobExecution(second.getId()).getStatus()).isEqualTo(BatchStatus.COMPLETED);
		SyncProgress resumed = SyncProgress.of(step(second.getId()));
		assertThat(resumed.total()).as("the restart's scope: the items after the last committed chunk")
			.isEqualTo(ITEMS - doneBeforeStop);
		assertThat(resumed.done()).as("items written by the restart: none twice, none missed")
			.isEqualTo(ITEMS - doneBeforeStop);
		assertThat(resumed.failed()).isZero();
		assertThat(updated(url)).isEqualTo(ITEMS);
		items.forEach((item) -> assertThat(this.simulator.item(item).webhookUrl()).isEqualTo(url));
	}

	private StepExecution step(long executionId) {
		return this.jobRepository.getJobExecution(executionId).getStepExecutions().iterator().next();
	}

	private long updated(String url) {
		return this.jdbc.sql("SELECT count(*) FROM plaid_items WHERE webhook_url = :url")
			.param("url", url)
			.query(Long.class)
			.single();
	}

}
