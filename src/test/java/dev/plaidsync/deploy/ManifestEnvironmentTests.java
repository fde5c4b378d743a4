package dev.plaidsync.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests set only variables the engine reads, and the secret example holds every
 * secret production needs.
 */
class ManifestEnvironmentTests {

	/** The README, "Configure it": the environment is the contract. */
	static final Set<String> ENGINE_VARIABLES = Set.of("PLAID_ENV", "PLAID_CLIENT_ID", "PLAID_SECRET", "PLAID_BASE_URL",
			"PLAID_WEBHOOK_URL", "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD",
			"PLAIDSYNC_DATA_DIR", "PLAIDSYNC_EMBEDDED_DB", "PLAIDSYNC_TOKEN_KEY", "PLAIDSYNC_OPS_TOKEN",
			"PLAIDSYNC_DEMO_USERS", "PLAIDSYNC_AUTH_JWKS_URI", "PLAIDSYNC_AUTH_ISSUER", "PLAIDSYNC_AUTH_HS256_SECRET",
			"PLAIDSYNC_AUTH_AUDIENCE", "PLAIDSYNC_LOG_FORMAT");

	/** Read by the JVM itself. */
	static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

	/**
	 * What production cannot start or run safely without, none of which may sit in a
	 * ConfigMap.
	 */
	static final Set<String> PRODUCTION_SECRETS = Set.of("PLAID_CLIENT_ID", "PLAID_SECRET", "SPRING_DATASOURCE_URL",
			"SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "PLAIDSYNC_TOKEN_KEY", "PLAIDSYNC_OPS_TOKEN");

	static final Set<String> SECRET_VALUED = Set.of("PLAID_CLIENT_ID", "PLAID_SECRET", "SPRING_DATASOURCE_PASSWORD",
			"PLAIDSYNC_TOKEN_KEY", "PLAIDSYNC_OPS_TOKEN", "PLAIDSYNC_AUTH_HS256_SECRET");

	@Test
	void theEngineReadsEveryVariableOfTheContract() {
		String applicationYml = K8sManifests.read(Path.of("src/main/resources/application.yml"));
		Set<String> placeholders = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]")
			.matcher(applicationYml)
			.results()
			.map((match) -> match.group(1))
			.collect(Collectors.toSet());
		// SPRING_DATASOURCE_* bind to spring.datasource.* by Spring Boot's relaxed
		// binding
		assertThat(placeholders)
			.containsAll(ENGINE_VARIABLES.stream().filter((name) -> !name.startsWith("SPRING_")).toList());
		String readme = K8sManifests.read(Path.of("README.md"));
		assertThat(ENGINE_VARIABLES).allSatisfy((name) -> assertThat(readme)
			.contains(name.startsWith("SPRING_DATASOURCE_") ? "SPRING_DATASOURCE_URL" : name));
	}

	@Test
	void everyVariableAManifestSetsIsOneTheEngineOrTheJvmReads() {
		Map<String, String> set = new LinkedHashMap<>();
		set.putAll(configMap().getData());
		set.putAll(secretExample().getStringData());
		if (secretExample().getData() != null) {
			secretExample().getData().keySet().forEach((key) -> set.put(key, "(base64)"));
		}
		for (EnvVar variable : deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
			set.put(variable.getName(), variable.getValue());
		}
		Set<String> unknown = new TreeSet<>(set.keySet());
		unknown.removeAll(ENGINE_VARIABLES);
		unknown.removeAll(JVM_VARIABLES);
		assertThat(unknown).as("variables no part of the engine reads").isEmpty();
	}

	@Test
	void theSecretExampleHoldsEveryProductionSecretAsAPlaceholderAndTheConfigMapNone() {
		Map<String, String> secrets = secretExample().getStringData();
		assertThat(secrets).containsKeys(PRODUCTION_SECRETS.toArray(String[]::new));
		assertThat(secrets).allSatisfy((name, value) -> {
			if (SECRET_VALUED.contains(name)) {
				assertThat(value).as(name).contains("REPLACE_ME");
			}
		});
		assertThat(configMap().getData().keySet()).doesNotContainAnyElementsOf(SECRET_VALUED)
			.doesNotContainAnyElementsOf(PRODUCTION_SECRETS);
		List<String> envFromSecrets = deployment().getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0)
			.getEnvFrom()
			.stream()
			.filter((source) -> source.getSecretRef() != null)
			.map((source) -> source.getSecretRef().getName())
			.toList();
		assertThat(envFromSecrets).containsExactly(secretExample().getMetadata().getName());
	}

	@Test
	void productionTalksToPlaidProductionAndNeverToTheEmbeddedDatabase() {
		Map<String, String> config = configMap().getData();
		assertThat(config).containsEntry("PLAID_ENV", "production").containsEntry("PLAIDSYNC_EMBEDDED_DB", "false");
		assertThat(config).doesNotContainKey("PLAID_BASE_URL");
		assertThat(config.get("PLAID_WEBHOOK_URL")).startsWith("https://").endsWith("/webhook/plaid");
		assertThat(config.get("PLAIDSYNC_DATA_DIR")).startsWith("/tmp/");
		assertThat(config.containsKey("PLAIDSYNC_AUTH_JWKS_URI")
				|| secretExample().getStringData().containsKey("PLAIDSYNC_AUTH_HS256_SECRET"))
			.as("users' JWTs are checked somehow")
			.isTrue();
		assertThat(config.get("PLAIDSYNC_AUTH_AUDIENCE")).as("the audience production requires").isNotBlank();
	}

	static ConfigMap configMap() {
		return (ConfigMap) StrictKubernetesParsing
			.parseTyped(K8sManifests.named("ConfigMap", "plaid-sync-config").text());
	}

	static Secret secretExample() {
		return CoreManifestsTests.typed("Secret", Secret.class);
	}

	static Deployment deployment() {
		return CoreManifestsTests.typed("Deployment", Deployment.class);
	}

}
