package dev.plaidsync.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.plaidsync.items.ItemLinking;
import dev.plaidsync.items.Users;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.plaidsync.webhooks.WebhookPoster.plaidBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 2,000 signed webhooks for 200 items over 8 connections, half to this engine and half to
 * a second one on the same database (which verifies against the same simulator): all
 * stored, every item synced after its last webhook, and coalescing keeps each item to at
 * most 3 holdings executions.
 */
@EngineIntegrationTest
class WebhookBurstIntegrationTests {

	private static final int ITEMS = 200;

	private static final int WEBHOOKS_PER_ITEM = 10;

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	PlaidGateway gateway;

	@Autowired
	ItemLinking linking;

	@Autowired
	Users users;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Environment environment;

	@Test
	void aBurstAcrossTwoNodesIsAllStoredAndCoalesced() throws Exception {
		String local = "http://localhost:" + this.port;
		List<String> items = linkItems();
		long lastExecutionBefore = this.jdbc.sql("SELECT coalesce(max(job_execution_id), 0) FROM batch_job_execution")
			.query(Long.class)
			.single();

		try (ConfigurableApplicationContext second = EngineContexts.start(
				this.environment.getProperty("spring.datasource.url"), "plaid.base-url=" + local + "/simulator/plaid/",
				"plaid.webhook-url=" + local + "/webhook/plaid")) {
			List<String> nodes = List.of(local, EngineContexts.baseUrl(second));
			List<byte[]> bodies = new ArrayList<>();
			// item by item: the 8 connections carry each item's 10 webhooks at nearly the
			// same moment, as in a burst
			for (String itemId : items) {
				for (int round = 0; round < WEBHOOKS_PER_ITEM; round++) {
					bodies.add(plaidBody("environment", "sandbox", "error", null, "item_id", itemId, "new_holdings",
							round, "updated_holdings", 5, "webhook_code", "DEFAULT_UPDATE", "webhook_type",
							"HOLDINGS"));
				}
			}
			long started = System.nanoTime();
			ExecutorService connections = Executors.newFixedThreadPool(8);
			List<Future<List<Integer>>> answers = new ArrayList<>();
			// each connection takes the next body in line, so that a slow connection
			// cannot drift behind the others
			// and spread one item's webhooks over seconds, as a fixed share per
			// connection did on a loaded machine
			AtomicInteger next = new AtomicInteger();
			for (int connection = 0; connection < 8; connection++) {
				int lane = connection;
				answers.add(connections.submit(() -> {
					WebhookPoster poster = new WebhookPoster(nodes.get(lane % 2));
					List<Integer> statuses = new ArrayList<>();
					for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
						byte[] body = bodies.get(i);
						statuses.add(poster.post(body, this.simulator.signWebhook(body).verification()).status());
					}
					return statuses;
				}));
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<List<Integer>> answer : answers) {
				statuses.addAll(answer.get());
			}
			connections.shutdown();
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			System.out.printf("burst: %d webhooks in %d ms over 8 connections to 2 nodes%n", statuses.size(),
					took.toMillis());

			assertThat(statuses).hasSize(ITEMS * WEBHOOKS_PER_ITEM).containsOnly(200);
			assertThat(took).isLessThan(Duration.ofSeconds(90));
			assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_webhook_events WHERE item_id IN (:items)")
				.param("items", items)
				.query(Long.class)
				.single()).isEqualTo(ITEMS * WEBHOOKS_PER_ITEM);

			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> this.jdbc
					.sql("""
							SELECT count(*) FROM plaid_webhook_events WHERE item_id IN (:items) AND status IN ('RECEIVED', 'LAUNCHED')
							""")
					.param("items", items)
					.query(Long.class)
					.single() == 0
						&& this.jdbc.sql("""
								SELECT count(*) FROM sync_requests WHERE scope_key IN (:scopes)
								""")
							.param("scopes", items.stream().map((item) -> "ITEM:" + item).toList())
							.query(Long.class)
							.single() == 0);
		}

		assertThat(this.jdbc.sql("""
				SELECT i.item_id FROM plaid_items i
				WHERE i.item_id IN (:items) AND (i.holdings_synced_at IS NULL OR i.holdings_synced_at <=
				    (SELECT max(created_at) FROM plaid_webhook_events w WHERE w.item_id = i.item_id))
				""").param("items", items).query(String.class).list()).as("items not synced after their last webhook")
			.isEmpty();
		List<Long> executionsPerItem = this.jdbc
			.sql("""
					SELECT count(*) FROM batch_job_execution e JOIN batch_job_instance j USING (job_instance_id)
					JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = 'itemId'
					WHERE j.job_name = 'holdingsSyncJob' AND e.job_execution_id > :before AND p.parameter_value IN (:items)
					GROUP BY p.parameter_value
					""")
			.param("before", lastExecutionBefore)
			.param("items", items)
			.query(Long.class)
			.list();
		System.out.printf("burst: holdings executions per item: max %d, total %d%n", Collections.max(executionsPerItem),
				executionsPerItem.stream().mapToLong(Long::longValue).sum());
		// The freshness rule lets a webhook join only a run that has not started, so an
		// item whose webhooks arrive while
		// its runs start and end may take a few runs; coalescing still merges most of the
		// burst.
		assertThat(executionsPerItem).hasSize(ITEMS)
			.allSatisfy((count) -> assertThat(count).isBetween(1L, (long) WEBHOOKS_PER_ITEM / 2));
		assertThat(executionsPerItem.stream().mapToLong(Long::longValue).sum()).isLessThan(2L * ITEMS);
		assertThat(this.jdbc.sql("""
				SELECT count(*) FROM plaid_webhook_events WHERE item_id IN (:items) AND status <> 'DONE'
				""").param("items", items).query(Long.class).single()).isZero();
	}

	private List<String> linkItems() {
		this.simulator.setLatency(Duration.ZERO, Duration.ZERO);
		try {
			// one at a time: concurrent first-sync launches hit the job repository's
			// serializable creation
			List<String> items = new ArrayList<>();
			for (int n = 0; n < ITEMS; n++) {
				UUID userId = this.users.idFor("burst-" + n + "-" + UUID.randomUUID());
				String token = this.gateway.createSandboxPublicToken("ins_90000" + (1 + n % 4), "burst_" + n)
					.getPublicToken();
				items.add(((ItemLinking.Linked) this.linking.link(userId, token)).item().itemId());
			}
			await().atMost(Duration.ofSeconds(120))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> this.jdbc.sql("SELECT count(*) FROM sync_requests").query(Long.class).single() == 0);
			return items;
		}
		finally {
			this.simulator.setLatency(Duration.ofMillis(50), Duration.ofMillis(100));
		}
	}

}
