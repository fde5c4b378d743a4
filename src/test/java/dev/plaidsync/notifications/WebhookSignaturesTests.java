package dev.plaidsync.notifications;

import java.time.Duration;

import dev.plaidsync.common.StartupConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignaturesTests {

	private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	@Test
	void signsTheStandardWebhooksReferenceVector() {
		// the reference libraries' own test vector (standard-webhooks,
		// libraries/*/tests),
		// recomputed here with Python's hmac: base64(HMAC-SHA256(key, id.timestamp.body))
		assertThat(WebhookSignatures.of(SPEC_SECRET)
			.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"))
			.isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void duringARotationEachDeliveryCarriesOneSignaturePerSecretSpaceSeparated() {
		String other = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
		String signatures = WebhookSignatures.of(other + ", " + SPEC_SECRET)
			.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}");
		assertThat(signatures.split(" ")).hasSize(2).endsWith("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	}

	@Test
	void malformedSecretsAreRefusedNamingTheVariableNeverTheValue() {
		assertRefused("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "does not start with 'whsec_'");
		assertRefused("whsec_not*base64!", "is not base64 after 'whsec_'");
		assertRefused("whsec_c2hvcnQ=", "decodes to 5 bytes; Standard Webhooks secrets are 24 to 64 bytes");
		assertRefused(SPEC_SECRET + " " + SPEC_SECRET + " " + SPEC_SECRET, "lists 3 secrets");
		assertRefused(SPEC_SECRET + " whsec_c2hvcnQ=", "secret 2 decodes to 5 bytes");
	}

	@Test
	void aUrlNeedsASecretAndMustBeAnAbsoluteHttpUrl() {
		assertThatThrownBy(() -> DeliveryTarget.of(webhook("https://app.example.com/hooks", null)))
			.isInstanceOf(StartupConfigurationException.class)
			.hasMessageContaining("PLAIDSYNC_EVENTS_WEBHOOK_SECRET is not set, but PLAIDSYNC_EVENTS_WEBHOOK_URL is");
		assertThatThrownBy(() -> DeliveryTarget.of(webhook("app.example.com/hooks?token=abc", SPEC_SECRET)))
			.isInstanceOf(StartupConfigurationException.class)
			.hasMessageContaining("PLAIDSYNC_EVENTS_WEBHOOK_URL is not an absolute http(s) URL")
			.hasMessageNotContaining("token=abc");
		assertThat(DeliveryTarget.of(webhook("https://app.example.com/hooks", SPEC_SECRET)).configured()).isTrue();
		assertThat(DeliveryTarget.of(webhook("", null)).configured()).isFalse();
	}

	private static void assertRefused(String secrets, String message) {
		assertThatThrownBy(() -> WebhookSignatures.of(secrets)).isInstanceOf(StartupConfigurationException.class)
			.hasMessageContaining("PLAIDSYNC_EVENTS_WEBHOOK_SECRET")
			.hasMessageContaining(message)
			.hasMessageNotContaining("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
			.satisfies((ex) -> assertThat(((StartupConfigurationException) ex).action()).contains("whsec_"));
	}

	private static NotificationProperties.Webhook webhook(String url, String secret) {
		return new NotificationProperties.Webhook(url, secret, Duration.ofSeconds(2), Duration.ofSeconds(5),
				Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24), 4, Duration.ofSeconds(1));
	}

}
