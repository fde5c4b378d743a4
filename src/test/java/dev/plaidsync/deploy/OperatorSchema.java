package dev.plaidsync.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The allowed keys, level by level, of the two Prometheus Operator kinds fabric8 does not
 * model, taken from the operator's API reference (monitoring.coreos.com/v1:
 * ServiceMonitorSpec, Endpoint, PrometheusRuleSpec, RuleGroup, Rule). A node is one of:
 * {@link #SCALAR}; {@link #STRING_MAP} (labels, annotations, matchLabels); {@link #ANY}
 * (a documented subtree this check does not descend into); a {@code Map} of key to node
 * (an object); or a one-element {@code List} holding the node of each item.
 */
final class OperatorSchema {

	static final String SCALAR = "scalar";

	static final String STRING_MAP = "string map";

	static final String ANY = "any";

	private static final Map<String, Object> METADATA = Map.of("name", SCALAR, "namespace", SCALAR, "labels",
			STRING_MAP, "annotations", STRING_MAP);

	private static final Map<String, Object> LABEL_SELECTOR = Map.of("matchLabels", STRING_MAP, "matchExpressions",
			List.of(Map.of("key", SCALAR, "operator", SCALAR, "values", List.of(SCALAR))));

	private static final Map<String, Object> RELABEL = Map.of("sourceLabels", List.of(SCALAR), "separator", SCALAR,
			"targetLabel", SCALAR, "regex", SCALAR, "modulus", SCALAR, "replacement", SCALAR, "action", SCALAR);

	private static Map<String, Object> entries(Object... keyValues) {
		Map<String, Object> map = new java.util.LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put((String) keyValues[i], keyValues[i + 1]);
		}
		return map;
	}

	static final Map<String, Object> ENDPOINT = entries("port", SCALAR, "targetPort", SCALAR, "path", SCALAR, "scheme",
			SCALAR, "params", ANY, "interval", SCALAR, "scrapeTimeout", SCALAR, "tlsConfig", ANY, "bearerTokenFile",
			SCALAR, "bearerTokenSecret", ANY, "authorization", ANY, "honorLabels", SCALAR, "honorTimestamps", SCALAR,
			"trackTimestampsStaleness", SCALAR, "basicAuth", ANY, "oauth2", ANY, "metricRelabelings", List.of(RELABEL),
			"relabelings", List.of(RELABEL), "proxyUrl", SCALAR, "noProxy", SCALAR, "proxyFromEnvironment", SCALAR,
			"proxyConnectHeader", ANY, "followRedirects", SCALAR, "enableHttp2", SCALAR, "filterRunning", SCALAR);

	static final Map<String, Object> SERVICE_MONITOR = Map.of("apiVersion", SCALAR, "kind", SCALAR, "metadata",
			METADATA, "spec",
			entries("jobLabel", SCALAR, "targetLabels", List.of(SCALAR), "podTargetLabels", List.of(SCALAR),
					"endpoints", List.of(ENDPOINT), "selector", LABEL_SELECTOR, "selectorMechanism", SCALAR,
					"namespaceSelector", Map.of("any", SCALAR, "matchNames", List.of(SCALAR)), "sampleLimit", SCALAR,
					"scrapeProtocols", List.of(SCALAR), "fallbackScrapeProtocol", SCALAR, "targetLimit", SCALAR,
					"labelLimit", SCALAR, "labelNameLengthLimit", SCALAR, "labelValueLengthLimit", SCALAR,
					"scrapeClassicHistograms", SCALAR, "nativeHistogramBucketLimit", SCALAR,
					"nativeHistogramMinBucketFactor", SCALAR, "convertClassicHistogramsToNHCB", SCALAR,
					"keepDroppedTargets", SCALAR, "attachMetadata", Map.of("node", SCALAR), "scrapeClass", SCALAR,
					"bodySizeLimit", SCALAR, "serviceDiscoveryRole", SCALAR));

	static final Map<String, Object> RULE = entries("record", SCALAR, "alert", SCALAR, "expr", SCALAR, "for", SCALAR,
			"keep_firing_for", SCALAR, "labels", STRING_MAP, "annotations", STRING_MAP);

	static final Map<String, Object> PROMETHEUS_RULE = Map.of("apiVersion", SCALAR, "kind", SCALAR, "metadata",
			METADATA, "spec",
			Map.of("groups", List.of(entries("name", SCALAR, "labels", STRING_MAP, "interval", SCALAR, "query_offset",
					SCALAR, "limit", SCALAR, "partial_response_strategy", SCALAR, "rules", List.of(RULE)))));

	private OperatorSchema() {
	}

	/** Each violation as {@code path: problem}; empty when the tree fits the schema. */
	static List<String> violations(Object tree, Object schema) {
		List<String> violations = new ArrayList<>();
		check(tree, schema, "", violations);
		return violations;
	}

	private static void check(Object node, Object schema, String path, List<String> violations) {
		if (schema == ANY) {
			return;
		}
		if (schema == SCALAR) {
			if (node instanceof Map || node instanceof List) {
				violations.add(path + ": expected a scalar");
			}
			return;
		}
		if (schema == STRING_MAP) {
			if (!(node instanceof Map<?, ?> map)) {
				violations.add(path + ": expected a map of strings");
			}
			else {
				map.forEach((key, value) -> {
					if (!(value instanceof String)) {
						violations.add(path + "." + key + ": expected a string, got " + value);
					}
				});
			}
			return;
		}
		if (schema instanceof List<?> itemSchema) {
			if (!(node instanceof List<?> items)) {
				violations.add(path + ": expected a list");
				return;
			}
			for (int i = 0; i < items.size(); i++) {
				check(items.get(i), itemSchema.get(0), path + "[" + i + "]", violations);
			}
			return;
		}
		Map<?, ?> fields = (Map<?, ?>) schema;
		if (!(node instanceof Map<?, ?> object)) {
			violations.add(path + ": expected an object");
			return;
		}
		Set<?> allowed = fields.keySet();
		object.forEach((key, value) -> {
			String at = path.isEmpty() ? String.valueOf(key) : path + "." + key;
			if (!allowed.contains(key)) {
				violations.add(at + ": unknown field");
			}
			else {
				check(value, fields.get(key), at, violations);
			}
		});
	}

}
