package dev.plaidsync.notifications;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.plaidsync.common.StartupConfigurationException;

/**
 * Where events go ({@code PLAIDSYNC_EVENTS_WEBHOOK_URL}) and how they are signed, checked
 * at startup: a URL that is not an absolute http(s) URL, or a missing or malformed secret
 * beside a URL, stops the engine with a message naming the variable.
 */
record DeliveryTarget(@Nullable URI url, @Nullable WebhookSignatures signatures) {

	static final String URL_VARIABLE = "PLAIDSYNC_EVENTS_WEBHOOK_URL";

	static DeliveryTarget of(NotificationProperties.Webhook webhook) {
		String secret = webhook.secret();
		WebhookSignatures signatures = (secret != null && !secret.isBlank()) ? WebhookSignatures.of(secret) : null;
		if (!webhook.configured()) {
			return new DeliveryTarget(null, signatures);
		}
		URI url = parse(webhook.url().strip());
		if (signatures == null) {
			throw new StartupConfigurationException(
					WebhookSignatures.VARIABLE + " is not set, but " + URL_VARIABLE
							+ " is: deliveries cannot be signed",
					"Set " + WebhookSignatures.VARIABLE
							+ " to whsec_ followed by the base64 of 24 to 64 random bytes (echo whsec_$(openssl rand -base64 32)), and give the same secret to the receiver");
		}
		return new DeliveryTarget(url, signatures);
	}

	private static URI parse(String value) {
		try {
			URI url = new URI(value);
			String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
			if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null) {
				return url;
			}
		}
		catch (URISyntaxException ex) {
			// reported below
		}
		// the value is not repeated: a URL may carry a token
		throw new StartupConfigurationException(URL_VARIABLE + " is not an absolute http(s) URL with a host", "Set "
				+ URL_VARIABLE
				+ " to the URL that receives the events, for example https://app.example.com/hooks/plaid-sync, or unset it");
	}

	boolean configured() {
		return this.url != null;
	}

}
