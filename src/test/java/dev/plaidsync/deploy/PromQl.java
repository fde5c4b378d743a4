package dev.plaidsync.deploy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, with the label names each matcher uses.
 * Not a parser: enough for alert expressions. Function names (an identifier followed by
 * {@code (}), keywords, the label lists of
 * {@code by/without/on/ignoring/group_left/group_right (...)}, string literals, range and
 * offset durations and numbers are not metric names.
 */
final class PromQl {

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
			"group_left", "group_right", "offset", "bool", "inf", "nan");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)\\}");

	private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

	private PromQl() {
	}

	/**
	 * Metric name to the label names its selectors match on, in the order they appear.
	 */
	static Map<String, Set<String>> metrics(String expression) {
		String text = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
			.replaceAll("\\[[^\\]]*\\]", " ");
		text = GROUPING.matcher(text).replaceAll(" ");
		Map<String, Set<String>> metrics = new LinkedHashMap<>();
		StringBuilder rest = new StringBuilder();
		Matcher selector = SELECTOR.matcher(text);
		while (selector.find()) {
			String name = selector.group(1);
			if (name == null || KEYWORDS.contains(name)) {
				throw new IllegalArgumentException("a selector without a metric name: " + selector.group());
			}
			Set<String> labels = metrics.computeIfAbsent(name, (key) -> new LinkedHashSet<>());
			Matcher label = MATCHER_LABEL.matcher(selector.group(2));
			while (label.find()) {
				labels.add(label.group(1));
			}
			selector.appendReplacement(rest, " ");
		}
		selector.appendTail(rest);
		Matcher identifier = IDENTIFIER.matcher(rest.toString().replaceAll("\\boffset\\s+\\w+", " "));
		while (identifier.find()) {
			String name = identifier.group(1);
			boolean function = identifier.group(2) != null;
			if (!function && !KEYWORDS.contains(name.toLowerCase())) {
				metrics.computeIfAbsent(name, (key) -> new LinkedHashSet<>());
			}
		}
		return metrics;
	}

}
