package dev.plaidsync.simulator;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;

/**
 * Runs only the Plaid simulator: a web server on {@code --server.port} (default 8090),
 * with no database and no engine beans. Its configuration class carries no stereotype
 * annotation, so the engine's component scan never picks it up, and its
 * auto-configuration exclusions never reach the engine.
 */
public final class SimulatorServer {

	private SimulatorServer() {
	}

	public static void main(String[] args) {
		start(args);
	}

	/**
	 * Starts the standalone simulator; close the returned context to stop it.
	 */
	public static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(Standalone.class)
			.properties("server.port=8090", "spring.application.name=plaid-simulator", "plaid.env=simulator",
					"plaidsync.embedded-db-early-start=false", "spring.batch.job.enabled=false")
			.run(withoutManagementServer(args));
	}

	/**
	 * Plaid has no actuator: the standalone simulator opens no management port (unless
	 * the arguments ask for one).
	 */
	private static String[] withoutManagementServer(String... args) {
		if (java.util.Arrays.stream(args).anyMatch((arg) -> arg.startsWith("--management.server.port="))) {
			return args;
		}
		String[] withDefault = java.util.Arrays.copyOf(args, args.length + 1);
		withDefault[args.length] = "--management.server.port=-1";
		return withDefault;
	}

	@EnableAutoConfiguration(excludeName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.JndiDataSourceAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.XADataSourceAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
			"org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration",
			"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
			"org.springframework.boot.flyway.autoconfigure.FlywayEndpointAutoConfiguration",
			"org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration",
			"org.springframework.boot.batch.autoconfigure.BatchJobLauncherAutoConfiguration",
			"org.springframework.boot.batch.autoconfigure.observation.BatchObservationAutoConfiguration",
			"org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration",
			// the engine's cross-module events; the simulator publishes none
			"org.springframework.modulith.events.config.EventPublicationAutoConfiguration",
			"org.springframework.modulith.events.config.EventExternalizationAutoConfiguration",
			"org.springframework.modulith.events.jdbc.JdbcEventPublicationAutoConfiguration",
			// Like Plaid, the simulator authenticates by API keys in the body, not by
			// Spring Security.
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration" })
	@ComponentScan("dev.plaidsync.simulator")
	static class Standalone {

	}

}
