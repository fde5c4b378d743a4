package dev.plaidsync.deploy;

import java.net.URI;

import io.fabric8.kubernetes.api.model.ConfigMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the manifests point at answers on a running engine: the probe paths, and every
 * metric the alerts use.
 */
@EngineIntegrationTest
class DeploymentEngineIntegrationTests {

	private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Value("${local.management.port}")
	int managementPort;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	JdbcClient jdbc;

	@Test
	void theProbePathsOfTheDeploymentAnswer200() {
		Container engine = ManifestEnvironmentTests.deployment()
			.getSpec()
			.getTemplate()
			.getSpec()
			.getContainers()
			.get(0);
		assertThat(engine.getPorts().get(0).getContainerPort()).isEqualTo(8080);
		assertThat(engine.getPorts().get(1).getContainerPort()).isEqualTo(8081);
		for (String path : List.of(engine.getStartupProbe().getHttpGet().getPath(),
				engine.getLivenessProbe().getHttpGet().getPath(), engine.getReadinessProbe().getHttpGet().getPath(),
				"/webhook/plaid/health")) {
			HttpResponse<String> response = get(path);
			assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		}
		assertThat(get("/readyz").body()).contains("\"status\":\"UP\"");
	}

	@Test
	void everyMetricAnAlertUsesIsExposedWithTheLabelsItMatchesOn() {
		exerciseWhatTheAlertsWatch();
		Map<String, Set<String>> exposed = exposedMetrics(send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + "/actuator/prometheus"))
					.GET())
			.body());

		Map<String, Set<String>> wanted = new TreeMap<>();
		for (Map<String, Object> alert : PrometheusOperatorResourcesTests.alerts()) {
			PromQl.metrics((String) alert.get("expr"))
				.forEach((name, labels) -> wanted.computeIfAbsent(name, (key) -> new TreeSet<>()).addAll(labels));
		}
		assertThat(wanted).isNotEmpty();

		Set<String> missing = new TreeSet<>(wanted.keySet());
		missing.removeAll(exposed.keySet());
		Map<String, Set<String>> missingLabels = new LinkedHashMap<>();
		wanted.forEach((name, labels) -> {
			if (exposed.containsKey(name)) {
				Set<String> absent = new TreeSet<>(labels);
				absent.removeAll(exposed.get(name));
				if (!absent.isEmpty()) {
					missingLabels.put(name, absent);
				}
			}
		});
		SoftAssertions.assertSoftly((softly) -> {
			softly.assertThat(missing)
				.as("metrics the alerts use that /actuator/prometheus does not expose (it exposes %s)",
						new TreeSet<>(exposed.keySet()))
				.isEmpty();
			softly.assertThat(missingLabels).as("labels the alerts match on that those metrics do not carry").isEmpty();
		});
	}

	@Test
	void everyMetricADashboardPanelQueriesIsExposedWithTheLabelsItUses() {
		exerciseWhatTheAlertsWatch();
		Map<String, Set<String>> exposed = exposedMetrics(send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + "/actuator/prometheus"))
					.GET())
			.body());
		ConfigMap dashboards = (ConfigMap) StrictKubernetesParsing
			.parseTyped(K8sManifests.named("ConfigMap", "plaid-sync-grafana-dashboard").text());
		assertThat(dashboards.getMetadata().getLabels()).as("what Grafana's dashboard sidecar looks for")
			.containsEntry("grafana_dashboard", "1");
		JsonNode dashboard = JsonMapper.shared().readTree(dashboards.getData().get("plaid-sync.json"));
		Map<String, Set<String>> wanted = new TreeMap<>();
		List<String> titles = new java.util.ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			titles.add(panel.path("title").asString());
			assertThat(panel.path("targets").isEmpty()).as(panel.path("title").asString()).isFalse();
			for (JsonNode target : panel.path("targets")) {
				PromQl.metrics(target.path("expr").asString())
					.forEach((name, labels) -> wanted.computeIfAbsent(name, (key) -> new TreeSet<>()).addAll(labels));
			}
		}
		assertThat(String.join(" | ", titles)).contains("Plaid calls", "429", "Budget waits", "Webhook intake",
				"Job progress", "Queue depth");
		Map<String, Set<String>> missing = new TreeMap<>();
		wanted.forEach((name, labels) -> {
			Set<String> absent = new TreeSet<>(labels);
			if (exposed.containsKey(name)) {
				absent.removeAll(exposed.get(name));
			}
			else {
				absent.add("(the metric itself)");
			}
			if (!absent.isEmpty()) {
				missing.put(name, absent);
			}
		});
		assertThat(wanted).isNotEmpty();
		assertThat(missing)
			.as("metrics and labels the dashboard's panels query that /actuator/prometheus lacks (it has %s)",
					new TreeSet<>(exposed.keySet()))
			.isEmpty();
	}

	/**
	 * Some meters appear only once used: the batch job observation after a run, the HTTP
	 * timer of /webhook/plaid after a request, intake's counters after a stored and a
	 * rejected webhook. Produce each the way production does.
	 */
	private void exerciseWhatTheAlertsWatch() {
		String slot = "deploy-test:" + UUID.randomUUID();
		LaunchOutcome outcome = this.launcher.request(SyncJob.HOLDINGS, SyncScope.all(), slot,
				SyncOptions.sweep(SyncOptions.TransactionsWindow.ROUTINE, Duration.ofHours(20)));
		assertThat(outcome.status()).as(outcome.message()).isEqualTo(LaunchOutcome.Status.STARTED);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
				.param("id", outcome.jobExecutionId())
				.query(String.class)
				.single()
				.startsWith("START"));

		byte[] unknownItem = """
				{
				  "environment": "sandbox",
				  "error": null,
				  "item_id": "deploy-test-%s",
				  "new_holdings": 1,
				  "updated_holdings": 0,
				  "webhook_code": "DEFAULT_UPDATE",
				  "webhook_type": "HOLDINGS"
				}""".formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
		assertThat(postWebhook(unknownItem, this.simulator.signWebhook(unknownItem).verification()).statusCode())
			.isEqualTo(200);
		assertThat(postWebhook(unknownItem, null).statusCode()).isBetween(400, 499);
	}

	private static Map<String, Set<String>> exposedMetrics(String exposition) {
		Map<String, Set<String>> metrics = new HashMap<>();
		Matcher sample = SAMPLE.matcher(exposition);
		while (sample.find()) {
			Set<String> labels = metrics.computeIfAbsent(sample.group(1), (name) -> new TreeSet<>());
			if (sample.group(3) != null) {
				LABEL.matcher(sample.group(3)).results().forEach((label) -> labels.add(label.group(1)));
			}
		}
		return metrics;
	}

	private HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET());
	}

	private HttpResponse<String> postWebhook(byte[] body, String verification) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/webhook/plaid"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (verification != null) {
			request.header("Plaid-Verification", verification);
		}
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(15)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
