package dev.plaidsync.sync.runtime;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;

/**
 * Makes text from Plaid storable in PostgreSQL: a text value cannot hold the NUL
 * character, and an unpaired UTF-16 surrogate has no UTF-8 encoding. Both are removed;
 * each value changed counts in {@code plaidsync.sync.text.sanitized}.
 */
@Component
public class StorableText {

	private final Counter sanitized;

	StorableText(MeterRegistry meters) {
		this.sanitized = Counter.builder("plaidsync.sync.text.sanitized")
			.description("Text values from Plaid that held characters PostgreSQL cannot store, which were removed")
			.register(meters);
	}

	public @Nullable String of(@Nullable String text) {
		if (text == null || storable(text)) {
			return text;
		}
		StringBuilder kept = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\0') {
				continue;
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				kept.append(c).append(text.charAt(++i));
				continue;
			}
			if (Character.isSurrogate(c)) {
				continue;
			}
			kept.append(c);
		}
		this.sanitized.increment();
		return kept.toString();
	}

	/** Every text value of the rows, made storable (see {@link #of}). */
	public SqlParameterSource[] storable(SqlParameterSource[] rows) {
		for (SqlParameterSource row : rows) {
			if (row instanceof MapSqlParameterSource map) {
				Map<String, Object> changed = new HashMap<>();
				map.getValues().forEach((name, value) -> {
					if (value instanceof String string) {
						String kept = of(string);
						if (!kept.equals(string)) {
							changed.put(name, kept);
						}
					}
				});
				map.addValues(changed);
			}
		}
		return rows;
	}

	private static boolean storable(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\0') {
				return false;
			}
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < text.length()
						&& Character.isLowSurrogate(text.charAt(i + 1))) {
					i++;
					continue;
				}
				return false;
			}
		}
		return true;
	}

}
