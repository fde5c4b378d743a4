package dev.plaidsync.common;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Which Plaid environment the engine talks to, and where its database is.
 * <ul>
 * <li>{@code PLAID_ENV} defaults to {@code simulator} only when neither Plaid credentials
 * nor an external datasource are set: with {@code SPRING_DATASOURCE_URL} and no
 * {@code PLAID_ENV}, startup refuses, so simulator mode (demo tokens for any subject)
 * against a real database is only ever written out. It is resolved before any bean exists
 * and published as {@code plaid.env}.</li>
 * <li>The embedded PostgreSQL runs only when no datasource URL is set and either the
 * simulator is in use or {@code PLAIDSYNC_EMBEDDED_DB=true}. Anywhere else a missing
 * datasource stops startup: a pod that lost its secret must not come up on a private
 * throwaway database and answer webhooks 200.</li>
 * </ul>
 */
public class DeploymentMode implements EnvironmentPostProcessor, Ordered {

	public static final String SIMULATOR = "simulator";

	private static final Set<String> PLAID_ENVIRONMENTS = Set.of(SIMULATOR, "sandbox", "production");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources()
			.addFirst(new MapPropertySource("plaidsyncDeploymentMode",
					Map.of("plaid.env", resolvePlaidEnv(environment))));
	}

	private static String resolvePlaidEnv(ConfigurableEnvironment environment) {
		String configured = environment.getProperty("plaid.env");
		if (!StringUtils.hasText(configured)) {
			if (StringUtils.hasText(environment.getProperty("plaid.client-id"))) {
				throw new StartupConfigurationException("PLAID_CLIENT_ID is set but PLAID_ENV is not.",
						"Set PLAID_ENV to sandbox or production, matching the credentials in PLAID_CLIENT_ID and PLAID_SECRET.");
			}
			if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
				throw new StartupConfigurationException(
						"SPRING_DATASOURCE_URL is set but PLAID_ENV is not: the engine will not guess simulator mode "
								+ "(open demo tokens, a fake Plaid) against an external database.",
						"Set PLAID_ENV to sandbox or production (with PLAID_CLIENT_ID and PLAID_SECRET), or write out "
								+ "PLAID_ENV=simulator to run the simulator against this database on purpose.");
			}
			return SIMULATOR;
		}
		String plaidEnv = configured.trim().toLowerCase(Locale.ROOT);
		if (!PLAID_ENVIRONMENTS.contains(plaidEnv)) {
			throw new StartupConfigurationException(
					"PLAID_ENV is '" + configured + "', which is not a Plaid environment.",
					"Set PLAID_ENV to simulator, sandbox or production.");
		}
		return plaidEnv;
	}

	public static boolean isSimulator(Environment environment) {
		return SIMULATOR.equals(environment.getProperty("plaid.env"));
	}

	public static boolean usesEmbeddedDatabase(Environment environment) {
		return !StringUtils.hasText(environment.getProperty("spring.datasource.url"))
				&& embeddedDatabaseAllowed(environment);
	}

	static boolean embeddedDatabaseAllowed(Environment environment) {
		return isSimulator(environment) || environment.getProperty("plaidsync.embedded-db", Boolean.class, false);
	}

	static void requireDatabase(Environment environment) {
		if (!StringUtils.hasText(environment.getProperty("spring.datasource.url"))
				&& !embeddedDatabaseAllowed(environment)) {
			throw new StartupConfigurationException(
					"No database is configured, and PLAID_ENV=" + environment.getProperty("plaid.env")
							+ " does not allow the embedded one.",
					"Set SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD to your PostgreSQL, "
							+ "or set PLAIDSYNC_EMBEDDED_DB=true to run on an embedded PostgreSQL under PLAIDSYNC_DATA_DIR.");
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
