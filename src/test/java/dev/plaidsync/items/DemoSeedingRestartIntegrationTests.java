package dev.plaidsync.items;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.plaidsync.testsupport.EngineProcess;
import dev.plaidsync.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A first start killed in the middle of demo seeding: the next start completes the same
 * set, links nothing twice, and says so in its log.
 */
class DemoSeedingRestartIntegrationTests {

	private static final int USERS = 12;

	@TempDir
	Path workDirectory;

	private EngineProcess first;

	private EngineProcess second;

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
	void aKilledFirstStartsSeedingIsCompletedByTheNextStart() {
		String url = TestDatabase.newMigratedDatabaseUrl();
		JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(url, TestDatabase.username(), ""));
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		Map<String, String> environment = EngineProcess.environmentOn(url, Base64.getEncoder().encodeToString(key),
				this.workDirectory.resolve("data"));
		environment.put("PLAIDSYNC_DEMO_USERS", String.valueOf(USERS));
		environment.put("PLAIDSYNC_SIMULATOR_LATENCY", "250ms");
		environment.put("PLAIDSYNC_SIMULATOR_LATENCYJITTER", "0ms");
		int planned = 0;
		for (int user = 1; user <= USERS; user++) {
			planned += DemoSeeding.plan(user).size();
		}

		this.first = EngineProcess.start(this.workDirectory.resolve("a"), environment);
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> items(jdbc) >= 3);
		this.first.kill();
		int linkedBeforeTheKill = items(jdbc);
		assertThat(linkedBeforeTheKill).as("the kill landed midway").isBetween(3, planned - 1);
		assertThat(jdbc.sql("SELECT completed_at IS NULL FROM demo_seeding").query(Boolean.class).single())
			.as("the set is recorded unfinished")
			.isTrue();

		this.second = EngineProcess.start(this.workDirectory.resolve("b"), environment);
		await().atMost(Duration.ofSeconds(180))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> jdbc.sql("SELECT completed_at IS NOT NULL FROM demo_seeding").query(Boolean.class).single());

		for (int user = 1; user <= USERS; user++) {
			assertThat(institutionsOf(jdbc, DemoSeeding.subject(user))).as("demo user %d's items", user)
				.containsExactlyInAnyOrderElementsOf(DemoSeeding.plan(user));
		}
		assertThat(items(jdbc)).isEqualTo(planned);
		String completion = "Demo seeding completed the interrupted set: " + (planned - linkedBeforeTheKill)
				+ " more items linked; " + USERS + " demo users have " + planned + " items.";
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.second.log()).contains("Demo seeding was interrupted on an earlier start")
						.contains(completion));
	}

	private static int items(JdbcClient jdbc) {
		return jdbc.sql("SELECT count(*) FROM plaid_items").query(Integer.class).single();
	}

	private static List<String> institutionsOf(JdbcClient jdbc, String subject) {
		return new ArrayList<>(jdbc
			.sql("""
					SELECT i.institution_id FROM plaid_items i JOIN app_users u ON u.id = i.user_id WHERE u.auth_subject = :subject
					""")
			.param("subject", subject)
			.query(String.class)
			.list());
	}

}
