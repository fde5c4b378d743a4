package dev.plaidsync.deploy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.plaidsync.deploy.K8sManifests.Document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * ServiceMonitor and PrometheusRule, which fabric8 does not model, against the operator's
 * documented fields.
 */
class PrometheusOperatorResourcesTests {

	static final Path RUNBOOK = Path.of("docs/runbook.md");

	static final String RUNBOOK_BASE = "https://github.com/example-org/plaid-sync/blob/main/docs/runbook.md";

	@Test
	void theServiceMonitorUsesOnlyDocumentedFieldsAndScrapesThePrometheusEndpoint() {
		Document monitor = K8sManifests.single("ServiceMonitor");
		assertThat(monitor.apiVersion()).isEqualTo("monitoring.coreos.com/v1");
		assertThat(OperatorSchema.violations(monitor.tree(), OperatorSchema.SERVICE_MONITOR)).isEmpty();

		List<Map<String, Object>> endpoints = K8sManifests.at(monitor.tree(), "spec", "endpoints");
		assertThat(endpoints).singleElement().satisfies((endpoint) -> {
			assertThat(endpoint).containsEntry("path", "/actuator/prometheus");
			// the Service's management port, never the app's
			assertThat(endpoint).containsEntry("port", "management");
		});
		Map<String, String> selected = K8sManifests.at(monitor.tree(), "spec", "selector", "matchLabels");
		Map<String, String> serviceLabels = K8sManifests.at(K8sManifests.single("Service").tree(), "metadata",
				"labels");
		assertThat(serviceLabels).containsAllEntriesOf(selected);
	}

	@Test
	void thePrometheusRuleUsesOnlyDocumentedFields() {
		Document rule = K8sManifests.single("PrometheusRule");
		assertThat(rule.apiVersion()).isEqualTo("monitoring.coreos.com/v1");
		assertThat(OperatorSchema.violations(rule.tree(), OperatorSchema.PROMETHEUS_RULE)).isEmpty();
	}

	@Test
	void misspelledOrMisplacedOperatorFieldsFail() {
		Document monitor = K8sManifests.parse(Path.of("inline.yaml"), """
				apiVersion: monitoring.coreos.com/v1
				kind: ServiceMonitor
				metadata: {name: x}
				spec:
				  selector: {matchLabels: {app: x}}
				  endpoints:
				    - port: http
				      scrapeInterval: 30s
				""").get(0);
		assertThat(OperatorSchema.violations(monitor.tree(), OperatorSchema.SERVICE_MONITOR))
			.containsExactly("spec.endpoints[0].scrapeInterval: unknown field");
		Document rule = K8sManifests.parse(Path.of("inline.yaml"), """
				apiVersion: monitoring.coreos.com/v1
				kind: PrometheusRule
				metadata: {name: x}
				spec:
				  groups:
				    - name: g
				      rules:
				        - alert: A
				          expr: up == 0
				          duration: 5m
				          annotations: {summary: [not, a, string]}
				""").get(0);
		assertThat(OperatorSchema.violations(rule.tree(), OperatorSchema.PROMETHEUS_RULE)).containsExactlyInAnyOrder(
				"spec.groups[0].rules[0].duration: unknown field",
				"spec.groups[0].rules[0].annotations.summary: expected a string, got [not, a, string]");
	}

	@Test
	void everyAlertHasASummaryADescriptionAndARunbookUrlToItsSectionOfTheRunbook() {
		Set<String> anchors = MarkdownAnchors.of(K8sManifests.read(RUNBOOK));
		List<Map<String, Object>> alerts = alerts();
		assertThat(alerts).isNotEmpty();
		for (Map<String, Object> alert : alerts) {
			String name = alert.get("alert").toString();
			Map<String, String> annotations = K8sManifests.at(alert, "annotations");
			assertThat(annotations).as("%s", name)
				.containsKeys("summary", "description", "runbook_url")
				.doesNotContainKey("runbook");
			URI runbookUrl = URI.create(annotations.get("runbook_url"));
			assertThat(runbookUrl.getScheme()).as("runbook_url of %s", name).isEqualTo("https");
			assertThat(runbookUrl.getHost()).as("runbook_url of %s", name).isNotBlank();
			// one base for every alert, so that the one sed of docs/runbook.md points
			// them all at another copy
			assertThat(runbookUrl.toString()).as("runbook_url of %s", name).startsWith(RUNBOOK_BASE + "#");
			assertThat(runbookUrl.getFragment()).as("runbook_url of %s", name).isEqualTo(name.toLowerCase(Locale.ROOT));
			assertThat(anchors).as("heading of docs/runbook.md for %s", name).contains(runbookUrl.getFragment());
			assertThat(K8sManifests.<Map<String, String>>at(alert, "labels")).containsKey("severity");
		}
	}

	@Test
	void theRunbookGivesTheBaseEveryRunbookUrlShares() {
		assertThat(K8sManifests.read(RUNBOOK)).contains(RUNBOOK_BASE);
		assertThat(K8sManifests.read(RUNBOOK)).contains("sed -i 's#" + RUNBOOK_BASE.replace("docs/runbook.md", ""));
	}

	@Test
	void theAlertsCoverWhatTheIssueAsksFor() {
		Map<String, String> expressions = alerts().stream()
			.collect(Collectors.toMap((alert) -> (String) alert.get("alert"), (alert) -> (String) alert.get("expr")));
		assertThat(expressions.values())
			.anySatisfy((expr) -> assertThat(expr).contains("spring_batch_job_seconds_count").contains("FAILED"));
		assertThat(expressions.values())
			.anySatisfy((expr) -> assertThat(expr).contains("plaidsync_failed_executions_unresolved"));
		assertThat(expressions.values()).anySatisfy(
				(expr) -> assertThat(expr).contains("sync_last_success_timestamp_seconds{job=\"holdingsSyncJob\"}")
					.contains("26 * 3600"));
		assertThat(expressions.values())
			.anySatisfy((expr) -> assertThat(expr).contains("sync_nightly_projected_overrun_seconds"));
		assertThat(expressions.values()).anySatisfy(
				(expr) -> assertThat(expr).contains("webhooks_processed_total{result=\"failed\"}").contains("0.05"));
		assertThat(expressions.values()).anySatisfy((expr) -> assertThat(expr).contains("webhooks_rejected_total")
			.contains("webhooks_received_total")
			.contains("0.2"));
		assertThat(expressions.values()).anySatisfy((expr) -> assertThat(expr)
			.contains("http_server_requests_seconds_count{uri=\"/webhook/plaid\",status=~\"5..\"}"));
		assertThat(expressions.values()).anySatisfy((expr) -> assertThat(expr).contains("plaidsync_stale_users"));
		assertThat(expressions.values())
			.anySatisfy((expr) -> assertThat(expr).contains("plaidsync_reconciliation_accounts_mismatched"));
	}

	@Test
	void metricNamesAreReadFromPromQlButNotFunctionsLabelsOrGroupings() {
		assertThat(PromQl.metrics(
				"""
						sum by (spring_batch_job_name) (increase(spring_batch_job_seconds_count{spring_batch_job_status="FAILED"}[30m])) > 0
						"""))
			.containsExactly(entry("spring_batch_job_seconds_count", Set.of("spring_batch_job_status")));
		assertThat(PromQl.metrics(
				"""
						sum(rate(webhooks_rejected_total[15m]))
						  / (sum(rate(webhooks_rejected_total[15m])) + (sum(rate(webhooks_received_total[15m])) or vector(0))) > 0.2
						and sum(increase(webhooks_rejected_total[15m] offset 1h)) >= 5
						"""))
			.containsOnlyKeys("webhooks_rejected_total", "webhooks_received_total");
		assertThat(PromQl.metrics("(time() - max(sync_last_success_timestamp_seconds{job=\"a{b}\"})) > 26 * 3600"))
			.containsExactly(entry("sync_last_success_timestamp_seconds", Set.of("job")));
		assertThat(PromQl.metrics("max by (product) (plaidsync_stale_users) > 50 unless on(product) x_total"))
			.containsOnlyKeys("plaidsync_stale_users", "x_total");
	}

	static List<Map<String, Object>> alerts() {
		List<Map<String, Object>> groups = K8sManifests.at(K8sManifests.single("PrometheusRule").tree(), "spec",
				"groups");
		return groups.stream()
			.flatMap((group) -> K8sManifests.<List<Map<String, Object>>>at(group, "rules").stream())
			.filter((rule) -> rule.containsKey("alert"))
			.toList();
	}

}
