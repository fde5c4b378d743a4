package dev.plaidsync.items;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import dev.plaidsync.common.DeploymentMode;
import dev.plaidsync.common.EngineLifecycle;
import dev.plaidsync.plaid.PlaidGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.annotation.PreDestroy;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A newcomer's first run: in simulator mode, on an empty database, seeds demo users with
 * 1-3 simulator items each, linked the real way (sandbox public token, exchange,
 * encrypted token stored). Their first syncs start from the {@link ItemLinked} events.
 * Runs in the background, so the engine is healthy at once.
 * <p>
 * Idempotent per demo user: the set it starts is recorded in {@code demo_seeding}, each
 * demo user's items follow a fixed plan, and a start that finds the set unfinished (the
 * engine was stopped or killed midway) links only what each user still lacks, then
 * records the set complete.
 */
@Component
class DemoSeeding {

	private static final Logger log = LoggerFactory.getLogger(DemoSeeding.class);

	private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

	private static final List<String> INSTITUTIONS = List.of("ins_900001", "ins_900002", "ins_900003", "ins_900004",
			"ins_109508", "ins_43");

	private final Environment environment;

	private final DemoProperties properties;

	private final JdbcClient jdbc;

	private final Users users;

	private final ItemLinking linking;

	private final PlaidGateway plaid;

	private final EngineLifecycle lifecycle;

	private volatile Thread seeding;

	DemoSeeding(Environment environment, DemoProperties properties, JdbcClient jdbc, Users users, ItemLinking linking,
			PlaidGateway plaid, EngineLifecycle lifecycle) {
		this.environment = environment;
		this.properties = properties;
		this.jdbc = jdbc;
		this.users = users;
		this.linking = linking;
		this.plaid = plaid;
		this.lifecycle = lifecycle;
	}

	/**
	 * The institutions of demo user {@code user}'s items, always the same for the same
	 * user.
	 */
	static List<String> plan(int user) {
		Random random = new Random(7_000_003L * user);
		int itemCount = 1 + random.nextInt(3);
		List<String> institutions = new ArrayList<>();
		for (int item = 0; item < itemCount; item++) {
			institutions.add(INSTITUTIONS.get(random.nextInt(INSTITUTIONS.size())));
		}
		return institutions;
	}

	static String subject(int user) {
		return "demo-user-" + user;
	}

	@EventListener(ApplicationReadyEvent.class)
	void seedOnAnEmptyDatabase() {
		if (!DeploymentMode.isSimulator(this.environment) || this.properties.users() == 0) {
			return;
		}
		Optional<SeedingSet> unfinished = unfinishedSet();
		if (unfinished.isEmpty()) {
			return;
		}
		SeedingSet set = unfinished.get();
		Thread seeding = new Thread(() -> seed(set.targetUsers(), set.resumed()), "demo-seeding");
		seeding.setDaemon(true);
		this.seeding = seeding;
		seeding.start();
	}

	/**
	 * On shutdown the seeding stops after the item it is linking (it checks before each),
	 * before the pools it uses close: beans are destroyed before what they depend on.
	 */
	@PreDestroy
	void awaitTheItemBeingLinked() throws InterruptedException {
		Thread running = this.seeding;
		if (running != null) {
			running.join(SHUTDOWN_WAIT.toMillis());
		}
	}

	/** The set still to complete, recording a new one on an empty database. */
	private Optional<SeedingSet> unfinishedSet() {
		Optional<SeedingRow> row = this.jdbc
			.sql("SELECT target_users, completed_at IS NOT NULL AS completed FROM demo_seeding")
			.query(SeedingRow.class)
			.optional();
		if (row.isPresent()) {
			return row.get().completed() ? Optional.empty()
					: Optional.of(new SeedingSet(row.get().targetUsers(), true));
		}
		boolean empty = this.jdbc.sql("SELECT count(*) FROM app_users").query(Long.class).single() == 0;
		int inserted = this.jdbc.sql("""
				INSERT INTO demo_seeding (target_users, completed_at)
				VALUES (:target, CASE WHEN :empty THEN NULL ELSE now() END)
				ON CONFLICT (id) DO NOTHING
				""").param("target", this.properties.users()).param("empty", empty).update();
		return inserted == 1 && empty ? Optional.of(new SeedingSet(this.properties.users(), false)) : Optional.empty();
	}

	private record SeedingRow(int targetUsers, boolean completed) {
	}

	private record SeedingSet(int targetUsers, boolean resumed) {
	}

	private void seed(int target, boolean resumed) {
		int complete = 0;
		for (int user = 1; user <= target; user++) {
			if (itemsOf(subject(user)) >= plan(user).size()) {
				complete++;
			}
		}
		if (resumed) {
			log.info(
					"Demo seeding was interrupted on an earlier start: {} of {} demo users are complete; completing the set.",
					complete, target);
		}
		int linked = 0;
		int total = 0;
		try {
			for (int user = 1; user <= target; user++) {
				List<String> plan = plan(user);
				total += plan.size();
				UUID userId = this.users.idFor(subject(user));
				for (int item = itemsOf(subject(user)); item < plan.size(); item++) {
					if (this.lifecycle.isShuttingDown()) {
						log.info(
								"Demo seeding paused for shutdown after linking {} items; the next start completes the set",
								linked);
						return;
					}
					String publicToken = this.plaid
						.createSandboxPublicToken(plan.get(item), subject(user) + "-login-" + item)
						.getPublicToken();
					this.linking.link(userId, publicToken);
					linked++;
				}
			}
			this.jdbc.sql("UPDATE demo_seeding SET completed_at = now() WHERE completed_at IS NULL").update();
			if (resumed) {
				log.info(
						"Demo seeding completed the interrupted set: {} more items linked; {} demo users have {} items.",
						linked, target, total);
			}
			String base = "http://localhost:" + this.environment.getProperty("local.server.port");
			log.info(
					"""
							Seeded {} demo users with {} simulator items; their first syncs are running.
							  Operator console: {}/ops/ (token in PLAIDSYNC_OPS_TOKEN, or generated into {}/secrets/ops-token)
							  A user's view:    TOKEN=$(curl -s -X POST {}/demo/token -H 'Content-Type: application/json' -d '{"userId":"demo-user-1"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')
							                    curl -s {}/api/portfolio -H "Authorization: Bearer $TOKEN"
							  Change data:      curl -s -X POST {}/simulator/control/securities/price -H 'Content-Type: application/json' -d '{"security_id":"<id>","price":123.45}'
							  Fire a webhook:   curl -s -X POST {}/simulator/control/items/<item_id>/webhooks/holdings""",
					target, total, base, this.environment.getProperty("plaidsync.data-dir", "./data"), base, base, base,
					base);
		}
		catch (RuntimeException ex) {
			if (this.lifecycle.isShuttingDown()) {
				log.info("Demo seeding paused for shutdown after linking {} items; the next start completes the set",
						linked);
				return;
			}
			log.error("Demo seeding stopped after linking {} items; the next start completes the set: {}", linked,
					ex.getMessage(), ex);
		}
	}

	private int itemsOf(String subject) {
		return this.jdbc.sql("""
				SELECT count(*) FROM plaid_items i JOIN app_users u ON u.id = i.user_id WHERE u.auth_subject = :subject
				""").param("subject", subject).query(Integer.class).single();
	}

}
