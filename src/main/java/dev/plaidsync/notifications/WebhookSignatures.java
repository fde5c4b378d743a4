package dev.plaidsync.notifications;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.plaidsync.common.StartupConfigurationException;

/**
 * Standard Webhooks signatures (standardwebhooks.com): {@code webhook-signature} is
 * {@code v1,} and the base64 HMAC-SHA256, keyed by the secret's bytes, of
 * {@code id + "." + timestamp + "." + body}; with two secrets (a rotation), one signature
 * each, separated by a space, so a receiver holding either verifies. Thread-safe.
 */
final class WebhookSignatures {

	static final String VARIABLE = "PLAIDSYNC_EVENTS_WEBHOOK_SECRET";

	private static final String PREFIX = "whsec_";

	private final List<byte[]> keys;

	private WebhookSignatures(List<byte[]> keys) {
		this.keys = keys;
	}

	/**
	 * @param secrets one or two {@code whsec_}-prefixed base64 secrets, separated by a
	 * space or a comma
	 * @throws StartupConfigurationException naming what is wrong with them, never their
	 * value
	 */
	static WebhookSignatures of(String secrets) {
		List<byte[]> keys = new ArrayList<>();
		String[] parts = secrets.strip().split("[\\s,]+");
		if (secrets.isBlank()) {
			throw refused(VARIABLE + " is not set, but PLAIDSYNC_EVENTS_WEBHOOK_URL is: deliveries cannot be signed");
		}
		if (parts.length > 2) {
			throw refused(VARIABLE + " lists " + parts.length
					+ " secrets; give one, or two during a rotation (the new one and the old one)");
		}
		for (int i = 0; i < parts.length; i++) {
			String part = parts[i];
			String which = (parts.length == 1) ? "The secret" : "Secret " + (i + 1);
			if (!part.startsWith(PREFIX)) {
				throw refused(VARIABLE + " is malformed: " + which.toLowerCase(java.util.Locale.ROOT)
						+ " does not start with '" + PREFIX + "' (Standard Webhooks secrets are whsec_<base64>)");
			}
			byte[] key;
			try {
				key = Base64.getDecoder().decode(part.substring(PREFIX.length()));
			}
			catch (IllegalArgumentException ex) {
				throw refused(VARIABLE + " is malformed: " + which.toLowerCase(java.util.Locale.ROOT)
						+ " is not base64 after '" + PREFIX + "'");
			}
			if (key.length < 24 || key.length > 64) {
				throw refused(VARIABLE + " is malformed: " + which.toLowerCase(java.util.Locale.ROOT) + " decodes to "
						+ key.length + " bytes; Standard Webhooks secrets are 24 to 64 bytes");
			}
			keys.add(key);
		}
		return new WebhookSignatures(List.copyOf(keys));
	}

	private static StartupConfigurationException refused(String message) {
		return new StartupConfigurationException(message, "Set " + VARIABLE
				+ " to whsec_ followed by the base64 of 24 to 64 random bytes, for example: echo whsec_$(openssl rand -base64 32)");
	}

	/** The {@code webhook-signature} header's value. */
	String sign(String messageId, long timestamp, String body) {
		byte[] signed = (messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
		return this.keys.stream()
			.map((key) -> "v1," + Base64.getEncoder().encodeToString(hmac(key, signed)))
			.collect(Collectors.joining(" "));
	}

	private static byte[] hmac(byte[] key, byte[] content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(content);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every Java runtime", ex);
		}
	}

}
