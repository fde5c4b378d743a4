package dev.plaidsync.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.plaidsync.testsupport.EngineProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class EngineCrashRecoveryTests {

	private static final Pattern EMBEDDED_URL = Pattern
		.compile("Embedded PostgreSQL is up at (jdbc:postgresql://\\S+)");

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
	void aStartAfterKillNineOnTheSameDataDirectoryComesUpWithItsData() throws Exception {
		Path dataDirectory = this.workDirectory.resolve("data");
		Map<String, String> environment = Map.of("PLAIDSYNC_DATA_DIR", dataDirectory.toString(), "PLAIDSYNC_DEMO_USERS",
				"0");

		this.first = EngineProcess.start(this.workDirectory, environment).awaitHealthy(Duration.ofSeconds(120));
		jdbc(embeddedUrl(this.first)).sql("INSERT INTO app_users (auth_subject) VALUES ('written-before-the-kill')")
			.update();
		this.first.kill();
		Path postmasterPid = dataDirectory.resolve("postgres/postmaster.pid");
		assertThat(postmasterPid).as("the killed engine's PostgreSQL is still running").exists();
		long leftoverPid = Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim());
		assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive)).contains(true);

		this.second = EngineProcess.start(this.workDirectory, environment).awaitHealthy(Duration.ofSeconds(120));

		assertThat(this.second.log()).contains("left by a previous run still holds");
		assertThat(ProcessHandle.of(leftoverPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
		JdbcClient jdbc = jdbc(embeddedUrl(this.second));
		assertThat(jdbc.sql("SELECT auth_subject FROM app_users").query(String.class).list())
			.contains("written-before-the-kill");
		assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE success").query(Integer.class).single())
			.as("migrations ran once, on the first start")
			.isEqualTo(jdbc.sql("SELECT count(DISTINCT version) FROM flyway_schema_history")
				.query(Integer.class)
				.single());
		assertThat(this.second.terminate(Duration.ofSeconds(60))).isIn(0, 143);
	}

	private static String embeddedUrl(EngineProcess engine) {
		Matcher matcher = EMBEDDED_URL.matcher(engine.log());
		assertThat(matcher.find()).as("the engine logs where its embedded database is").isTrue();
		return matcher.group(1);
	}

	private static JdbcClient jdbc(String url) {
		return JdbcClient.create(new DriverManagerDataSource(url, "postgres", ""));
	}

}
