package dev.plaidsync.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.plaidsync.PlaidSyncApplication;
import dev.plaidsync.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupRefusalTests {

	@Test
	void noDatasourceOutsideSimulatorModeIsRefused() {
		assertRefused(Map.of("plaid.env", "production", "plaid.client-id", "id", "plaid.secret", "secret"),
				"No database is configured, and PLAID_ENV=production does not allow the embedded one");
	}

	@Test
	void credentialsWithoutAPlaidEnvironmentAreRefused() {
		assertRefused(Map.of("plaid.client-id", "id", "plaid.secret", "secret"),
				"PLAID_CLIENT_ID is set but PLAID_ENV is not");
	}

	@Test
	void anExternalDatabaseWithoutAPlaidEnvironmentIsRefusedNamingPlaidEnv() {
		Map<String, Object> properties = withExternalDatabase(
				Map.of("plaidsync.token.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
		properties.remove("plaid.env");
		assertRefused(properties, "SPRING_DATASOURCE_URL is set but PLAID_ENV is not");
		assertThatThrownBy(() -> run(properties).close())
			.satisfies((failure) -> assertThat(new StartupConfigurationFailureAnalyzer().analyze(failure).getAction())
				.contains("PLAID_ENV=simulator"));
	}

	@Test
	@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
	void simulatorModeOnAnExternalDatabaseStartsWhenWrittenOutAndSaysSoOnce(
			org.springframework.boot.test.system.CapturedOutput output) {
		Map<String, Object> properties = withExternalDatabase(
				Map.of("plaidsync.token.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
		properties.put("plaid.env", "simulator");
		properties.put("logging.level.dev.plaidsync.common.SimulatorModeBanner", "warn");
		try (ConfigurableApplicationContext context = run(properties)) {
			assertThat(DeploymentMode.isSimulator(context.getEnvironment())).isTrue();
			assertThat(output.getOut().split("SIMULATOR MODE \\(PLAID_ENV=simulator\\)", -1)).hasSize(2);
			assertThat(output.getOut()).contains("external (SPRING_DATASOURCE_URL)");
		}
	}

	@Test
	void anUnknownPlaidEnvironmentIsRefused() {
		assertRefused(Map.of("plaid.env", "staging"), "PLAID_ENV is 'staging', which is not a Plaid environment");
	}

	@Test
	void aMissingTokenKeyOutsideEmbeddedModeIsRefused() {
		assertRefused(withExternalDatabase(Map.of()), "PLAIDSYNC_TOKEN_KEY is not set");
	}

	@Test
	void aMalformedTokenKeyIsRefused() {
		assertRefused(withExternalDatabase(Map.of("plaidsync.token.key", "k1:c2hvcnQ=")),
				"PLAIDSYNC_TOKEN_KEY is malformed: key 'k1' decodes to 5 bytes; AES-256 needs 32");
	}

	@Test
	void anInvalidValueIsReportedByTheEnvironmentVariableToFix() {
		Map<String, Object> properties = withExternalDatabase(Map.of("plaidsync.token.key",
				"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "plaidsync.sync.chunk-size", "0"));

		assertThatThrownBy(() -> run(properties).close()).satisfies((failure) -> {
			org.springframework.boot.diagnostics.FailureAnalysis analysis = new ConfigurationVariableFailureAnalyzer()
				.analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("PLAIDSYNC_SYNC_CHUNKSIZE (plaidsync.sync.chunk-size)",
					"'0'");
			assertThat(analysis.getAction()).contains("Fix PLAIDSYNC_SYNC_CHUNKSIZE");
		});
	}

	@Test
	void anOutgoingWebhookUrlWithAMalformedSecretIsRefused() {
		assertRefused(
				withExternalDatabase(Map.of("plaidsync.token.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
						"plaidsync.events.webhook.url", "https://app.example.com/hooks",
						"plaidsync.events.webhook.secret", "not-a-whsec-secret")),
				"PLAIDSYNC_EVENTS_WEBHOOK_SECRET is malformed");
	}

	@Test
	void theSameSettingsWithAValidKeyStart() {
		Map<String, Object> properties = withExternalDatabase(
				Map.of("plaidsync.token.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
		try (ConfigurableApplicationContext context = run(properties)) {
			assertThat(context.isActive()).isTrue();
		}
	}

	@Test
	void anEmbeddedDatabaseStartsWhileTheContextIsPreparedAndIsAdoptedByIt(@TempDir Path dataDir) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("plaid.env", "simulator");
		properties.put("plaidsync.data-dir", dataDir.toString());
		properties.put("plaidsync.ops.token", "ops");
		try (ConfigurableApplicationContext context = run(properties)) {
			EmbeddedPostgresServer server = context.getBean(EmbeddedPostgresServer.class);
			assertThat(context.getBean(EmbeddedPostgresEarlyStart.Starting.class).server())
				.isCompletedWithValue(server);
			assertThat(context.getBean(JdbcClient.class)
				.sql("SELECT count(*) FROM flyway_schema_history")
				.query(Long.class)
				.single()).isPositive();
			assertThat(server.dataDirectory()).isEqualTo(dataDir.resolve("postgres"));
		}
		assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
	}

	@Test
	void anEmbeddedDatabaseThatCannotStartIsRefusedNamingTheDataDirectory(@TempDir Path parent) throws Exception {
		Path notADirectory = Files.writeString(parent.resolve("a-file"), "not a directory");
		Map<String, Object> properties = new HashMap<>();
		properties.put("plaid.env", "simulator");
		properties.put("plaidsync.data-dir", notADirectory.toString());
		properties.put("plaidsync.ops.token", "ops");
		assertRefused(properties, "The embedded PostgreSQL could not start in");
		assertThatThrownBy(() -> run(properties).close())
			.satisfies((failure) -> assertThat(new StartupConfigurationFailureAnalyzer().analyze(failure).getAction())
				.contains("PLAIDSYNC_DATA_DIR"));
	}

	private static Map<String, Object> withExternalDatabase(Map<String, Object> extra) {
		Map<String, Object> properties = new HashMap<>(extra);
		properties.put("spring.datasource.url", TestDatabase.newMigratedDatabaseUrl());
		properties.put("spring.datasource.username", TestDatabase.username());
		properties.putIfAbsent("plaidsync.token.key", "");
		properties.put("plaidsync.ops.token", "ops");
		properties.putIfAbsent("plaid.env", "simulator");
		return properties;
	}

	private static void assertRefused(Map<String, Object> properties, String message) {
		assertThatThrownBy(() -> run(properties).close())
			.satisfies((failure) -> assertThat(rootConfigurationFailure(failure)).hasMessageContaining(message));
	}

	private static Throwable rootConfigurationFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof StartupConfigurationException) {
				return cause;
			}
		}
		return failure;
	}

	private static ConfigurableApplicationContext run(Map<String, Object> properties) {
		Map<String, Object> all = new HashMap<>(properties);
		all.put("plaidsync.demo.users", "0");
		all.put("logging.level.root", "off");
		String[] arguments = all.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(PlaidSyncApplication.class).web(WebApplicationType.NONE).run(arguments);
	}

}
