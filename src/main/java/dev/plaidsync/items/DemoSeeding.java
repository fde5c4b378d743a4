package dev.plaidsync.items;

import java.util.List;
import java.util.Random;
import java.util.UUID;

import dev.plaidsync.common.DeploymentMode;
import dev.plaidsync.plaid.PlaidGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A newcomer's first run: in simulator mode, on an empty database, seeds demo users with 1-3 simulator items each,
 * linked the real way (sandbox public token, exchange, encrypted token stored). Their first syncs start from the
 * {@link ItemLinked} events. Runs in the background, so the engine is healthy at once.
 */
@Component
class DemoSeeding {

	private static final Logger log = LoggerFactory.getLogger(DemoSeeding.class);

	private static final List<String> INSTITUTIONS = List.of("ins_900001", "ins_900002", "ins_900003", "ins_900004");

	private final Environment environment;

	private final DemoProperties properties;

	private final JdbcClient jdbc;

	private final Users users;

	private final ItemLinking linking;

	private final PlaidGateway plaid;

	DemoSeeding(Environment environment, DemoProperties properties, JdbcClient jdbc, Users users, ItemLinking linking,
			PlaidGateway plaid) {
		this.environment = environment;
		this.properties = properties;
		this.jdbc = jdbc;
		this.users = users;
		this.linking = linking;
		this.plaid = plaid;
	}

	@EventListener(ApplicationReadyEvent.class)
	void seedOnAnEmptyDatabase() {
		if (!DeploymentMode.isSimulator(this.environment) || this.properties.users() == 0) {
			return;
		}
		if (this.jdbc.sql("SELECT count(*) FROM app_users").query(Long.class).single() > 0) {
			return;
		}
		Thread seeding = new Thread(this::seed, "demo-seeding");
		seeding.setDaemon(true);
		seeding.start();
	}

	private void seed() {
		Random random = new Random(7);
		int items = 0;
		try {
			for (int user = 1; user <= this.properties.users(); user++) {
				UUID userId = this.users.idFor("demo-user-" + user);
				int itemCount = 1 + random.nextInt(3);
				for (int item = 0; item < itemCount; item++) {
					String institution = INSTITUTIONS.get(random.nextInt(INSTITUTIONS.size()));
					String publicToken = this.plaid
						.createSandboxPublicToken(institution, "demo-user-" + user + "-login-" + item)
						.getPublicToken();
					this.linking.link(userId, publicToken);
					items++;
				}
			}
			String base = "http://localhost:" + this.environment.getProperty("local.server.port");
			log.info("""
					Seeded {} demo users with {} simulator items; their first syncs are running.
					  Operator console: {}/ops/ (token in PLAIDSYNC_OPS_TOKEN, or generated into {}/secrets/ops-token)
					  A user's view:    TOKEN=$(curl -s -X POST {}/demo/token -H 'Content-Type: application/json' -d '{"userId":"demo-user-1"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')
					                    curl -s {}/api/portfolio -H "Authorization: Bearer $TOKEN"
					  Change data:      curl -s -X POST {}/simulator/control/securities/price -H 'Content-Type: application/json' -d '{"security_id":"<id>","price":123.45}'
					  Fire a webhook:   curl -s -X POST {}/simulator/control/items/<item_id>/webhooks/holdings""",
					this.properties.users(), items, base, this.environment.getProperty("plaidsync.data-dir", "./data"), base,
					base, base, base);
		}
		catch (RuntimeException ex) {
			log.error("Demo seeding stopped after {} items: {}", items, ex.getMessage(), ex);
		}
	}

}
