package dev.plaidsync.sync;

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
import dev.plaidsync.sync.runtime.SyncProperties;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.testsupport.EngineProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A nightly holdings run over 300 items is killed with {@code kill -9} in a forked
 * engine, while this JVM owns the database; restarting that execution completes it with
 * no duplicates and no more fetches than it had left.
 */
@EngineIntegrationTest
class HoldingsRestartIntegrationTests {

	private static final int ITEMS = 300;

	private static final int CHILD_CHUNK_SIZE = 20;

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

	@Autowired
	JobRepository jobRepository;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	SyncProperties properties;

	@TempDir
	Path workDirectory;

	EngineProcess engine;

	@AfterEach
	void killTheEngine() {
		if (this.engine != null) {
			this.engine.close();
		}
	}

	@Test
	void aRunKilledMidwayIsRestartedToCompletionWithNoDuplicatesAndNoRefetchBeyondOneChunk() throws Exception {
		UUID user = this.users.idFor("restart-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, ITEMS, "ins_900003", "restart-" + user);

		// The forked engine commits every 20 items and this one every 50: the restart
		// must resume by key, not by count.
		this.engine = EngineProcess.start(this.workDirectory, childEnvironment());
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> synced(user) >= 2 * CHILD_CHUNK_SIZE);
		this.engine.kill();
		long committed = synced(user);
		assertThat(committed).as("the kill landed mid-run").isGreaterThan(0).isLessThan(ITEMS);

		JobExecution killed = this.jobRepository.findRunningJobExecutions(SyncJob.HOLDINGS.jobName())
			.stream()
			.findFirst()
			.orElseThrow(() -> new AssertionError("the killed execution is still recorded as running"));
		// The next schedule slots, requested by the killed engine while its run was in
		// progress, are not this test's subject.
		this.jdbc.sql("DELETE FROM sync_requests WHERE state = 'PENDING'").update();
		this.simulator.resetStats();

		JobExecution recovered = this.jobOperator.recover(killed);
		assertThat(recovered.getStatus().name()).isEqualTo("FAILED");
		JobExecution restarted = this.jobOperator.restart(recovered);
		SyncRuns runs = new SyncRuns(this.context.getBean(SyncLauncher.class), this.jdbc);
		assertThat(runs.awaitEnd(restarted.getId())).isEqualTo("COMPLETED");

		assertThat(synced(user)).as("every item synced").isEqualTo(ITEMS);
		long fetchesAfterRestart = this.simulator.stats()
			.callsPerEndpoint()
			.getOrDefault("/investments/holdings/get", 0L);
		assertThat(fetchesAfterRestart).as("fetches after the restart, with %d committed before the kill", committed)
			.isLessThanOrEqualTo(ITEMS - committed + Math.max(CHILD_CHUNK_SIZE, this.properties.chunkSize()));
		assertThat(this.jdbc.sql("SELECT count(*) FROM holdings WHERE user_id = :user")
			.param("user", user)
			.query(Long.class)
			.single()).as("no duplicate or missing holdings").isEqualTo(expectedHoldings(items));
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

	private long synced(UUID user) {
		return this.jdbc
			.sql("SELECT count(*) FROM plaid_items WHERE user_id = :user AND holdings_synced_at IS NOT NULL")
			.param("user", user)
			.query(Long.class)
			.single();
	}

	private Map<String, String> childEnvironment() {
		return EngineProcess
			.withSlowHoldingsSweeps(EngineProcess.environmentOn(this.environment.getProperty("spring.datasource.url"),
					this.environment.getProperty("plaidsync.token.key"), this.workDirectory.resolve("data")));
	}

}
