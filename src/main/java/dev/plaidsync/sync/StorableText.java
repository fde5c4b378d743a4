package dev.plaidsync.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Makes text from Plaid storable in PostgreSQL: a text value cannot hold the NUL character, and an unpaired UTF-16
 * surrogate has no UTF-8 encoding. Both are removed; each value changed counts in
 * {@code plaidsync.sync.text.sanitized}.
 */
@Component
class StorableText {

	private final Counter sanitized;

	StorableText(MeterRegistry meters) {
		this.sanitized = Counter.builder("plaidsync.sync.text.sanitized")
			.description("Text values from Plaid that held characters PostgreSQL cannot store, which were removed")
			.register(meters);
	}

	String of(String text) {
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

	private static boolean storable(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\0') {
				return false;
			}
			if (Character.isSurrogate(c)) {
				if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
					i++;
					continue;
				}
				return false;
			}
		}
		return true;
	}

}
