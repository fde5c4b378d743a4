package dev.plaidsync.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * A configuration value that does not bind or validate stops startup with the environment
 * variable to fix, not only Spring's property name.
 */
class ConfigurationVariableFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

	private static final Map<String, String> VARIABLES = Map.ofEntries(Map.entry("plaid.env", "PLAID_ENV"),
			Map.entry("plaid.client-id", "PLAID_CLIENT_ID"), Map.entry("plaid.secret", "PLAID_SECRET"),
			Map.entry("plaid.base-url", "PLAID_BASE_URL"), Map.entry("plaid.webhook-url", "PLAID_WEBHOOK_URL"),
			Map.entry("plaidsync.data-dir", "PLAIDSYNC_DATA_DIR"),
			Map.entry("plaidsync.embedded-db", "PLAIDSYNC_EMBEDDED_DB"),
			Map.entry("plaidsync.token.key", "PLAIDSYNC_TOKEN_KEY"),
			Map.entry("plaidsync.ops.token", "PLAIDSYNC_OPS_TOKEN"),
			Map.entry("plaidsync.demo.users", "PLAIDSYNC_DEMO_USERS"),
			Map.entry("plaidsync.auth.jwks-uri", "PLAIDSYNC_AUTH_JWKS_URI"),
			Map.entry("plaidsync.auth.issuer", "PLAIDSYNC_AUTH_ISSUER"),
			Map.entry("plaidsync.auth.hs256-secret", "PLAIDSYNC_AUTH_HS256_SECRET"));

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		List<String> problems = new ArrayList<>();
		List<String> variables = new ArrayList<>();
		if (cause.getCause() instanceof BindValidationException validation) {
			String prefix = validation.getValidationErrors().getName().toString();
			for (ObjectError error : validation.getValidationErrors().getAllErrors()) {
				String property = (error instanceof FieldError field) ? prefix + "." + kebab(field.getField()) : prefix;
				Object value = (error instanceof FieldError field) ? field.getRejectedValue() : null;
				String variable = variable(property);
				variables.add(variable);
				problems.add(variable + " (" + property + ") " + error.getDefaultMessage()
						+ ((value != null && !isSecret(property)) ? "; it is '" + value + "'" : ""));
			}
		}
		else {
			String property = (cause.getProperty() != null) ? cause.getProperty().getName().toString()
					: cause.getName().toString();
			String variable = variable(property);
			variables.add(variable);
			Throwable root = cause;
			while (root.getCause() != null) {
				root = root.getCause();
			}
			problems.add(variable + " (" + property + ") cannot be used: " + root.getMessage());
		}
		return new FailureAnalysis(String.join("\n", problems),
				"Fix " + String.join(", ", variables) + " (see the README, \"Configure it\") and start again.", cause);
	}

	static String variable(String property) {
		return VARIABLES.getOrDefault(property, property.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", ""));
	}

	private static boolean isSecret(String property) {
		return property.contains("secret") || property.contains("token") || property.contains("password");
	}

	private static String kebab(String field) {
		return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
