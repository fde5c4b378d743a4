package dev.plaidsync.sync;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two engines on one database, as two replicas in production. */
@EngineIntegrationTest
@TestPropertySource(properties = { TwoNodesIntegrationTests.FAST_BALANCES, TwoNodesIntegrationTests.SHORT_LOCK })
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesIntegrationTests {

	static final String FAST_BALANCES = "plaidsync.sync.schedules.balances=*/2 * * * * *";

	static final String SHORT_LOCK = "plaidsync.sync.schedules.lock-at-least-for=PT1S";

	@Autowired
	ApplicationContext nodeA;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	ConfigurableApplicationContext nodeB;

	@BeforeAll
	void startASecondNodeOnTheSameDatabase() {
		Environment environment = this.nodeA.getEnvironment();
		this.nodeB = new SpringApplicationBuilder(PlaidSyncApplication.class).profiles("test")
			.run("--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
					"--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
					"--server.port=0", "--" + FAST_BALANCES, "--" + SHORT_LOCK, "--plaid.base-url=http://localhost:"
							+ environment.getProperty("local.server.port") + "/simulator/plaid");
	}

	@AfterAll
	void stopTheSecondNode() {
		if (this.nodeB != null) {
			this.nodeB.close();
		}
	}

	@Test
	void eachScheduleSlotRunsOnceOnOneNode() {
		TestItems.create(this.nodeA, this.users.idFor("shedlock-" + UUID.randomUUID()), 3, "ins_900001", "shedlock");

		await().atMost(Duration.ofSeconds(60)).until(() -> slotsRun().size() >= 10);

		Map<String, Long> executionsPerSlot = slotsRun();
		assertThat(executionsPerSlot.values()).as("executions per slot").allMatch((executions) -> executions == 1);
		long executions = executionsPerSlot.size();
		double fired = fired(this.nodeA) + fired(this.nodeB);
		double launched = launched(this.nodeA) + launched(this.nodeB);
		assertThat(fired).as("the schedule fired on exactly one node per slot")
			.isBetween((double) executions, executions + 2.0);
		assertThat(launched).as("launches: the losing node never launched")
			.isBetween((double) executions, executions + 2.0);
	}

	@Test
	void fiftyRequestsForOneItemAcrossTwoNodesCoalesceIntoAtMostTwoRunsAndEndFresh() throws Exception {
		String item = TestItems
			.create(this.nodeA, this.users.idFor("coalesce-" + UUID.randomUUID()), 1, "ins_900002", "coalesce")
			.get(0);
		SyncLauncher launcherA = this.nodeA.getBean(SyncLauncher.class);
		SyncLauncher launcherB = this.nodeB.getBean(SyncLauncher.class);
		this.simulator.setLatency(Duration.ofMillis(500), Duration.ZERO);
		List<Future<LaunchOutcome>> outcomes = new ArrayList<>();
		List<LaunchOutcome.Status> statuses = new ArrayList<>();
		OffsetDateTime lastRequest;
		ExecutorService requesters = Executors.newFixedThreadPool(8);
		try {
			for (int i = 0; i < 50; i++) {
				SyncLauncher launcher = (i % 2 == 0) ? launcherA : launcherB;
				String slot = "burst-" + i;
				outcomes.add(requesters.submit(() -> launcher.request(SyncJob.HOLDINGS, SyncScope.item(item), slot,
						SyncOptions.interactive())));
			}
			for (Future<LaunchOutcome> outcome : outcomes) {
				statuses.add(outcome.get().status());
			}
			lastRequest = OffsetDateTime.now();
		}
		finally {
			requesters.shutdown();
			this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
		}

		new SyncRuns(launcherA, this.jdbc).awaitIdle();
		long executions = this.jdbc.sql("""
				SELECT count(*) FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
				JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
				WHERE i.job_name = 'holdingsSyncJob' AND p.parameter_name = 'itemId' AND p.parameter_value = :item
				""").param("item", item).query(Long.class).single();
		assertThat(executions).isBetween(1L, 2L);
		assertThat(statuses)
			.as("one request makes the run (started at once, or queued for a free slot), the rest join it")
			.containsAnyOf(LaunchOutcome.Status.STARTED, LaunchOutcome.Status.QUEUED)
			.contains(LaunchOutcome.Status.JOINED_PENDING);
		OffsetDateTime synced = this.jdbc.sql("SELECT holdings_synced_at FROM plaid_items WHERE item_id = :item")
			.param("item", item)
			.query(OffsetDateTime.class)
			.single();
		assertThat(synced).as("the last run fetched after the last request").isAfter(lastRequest.minusSeconds(1));
	}

	private Map<String, Long> slotsRun() {
		Map<String, Long> slots = new java.util.TreeMap<>();
		this.jdbc
			.sql("""
					SELECT p.parameter_value, count(*) FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
					JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
					WHERE i.job_name = 'balancesSyncJob' AND p.parameter_name = 'slot'
					GROUP BY p.parameter_value
					""")
			.query((row) -> {
				slots.put(row.getString(1), row.getLong(2));
			});
		return slots;
	}

	private static double fired(ApplicationContext node) {
		var counter = node.getBean(MeterRegistry.class)
			.find("sync.schedule.fired")
			.tag("job", "balancesSyncJob")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static double launched(ApplicationContext node) {
		var counter = node.getBean(MeterRegistry.class).find("sync.launches").tag("job", "balancesSyncJob").counter();
		return (counter != null) ? counter.count() : 0;
	}

}
