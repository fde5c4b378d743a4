package dev.plaidsync.simulator;

import java.time.Instant;

/**
 * One delivery attempt of a webhook. {@code statusCode} is -1 when the receiver did not
 * answer. {@code attempt} starts at 1.
 */
public record WebhookDelivery(String webhookId, String url, String webhookType, String webhookCode, String itemId,
		int attempt, int statusCode, String keyId, Instant sentAt, String body) {

	public boolean delivered() {
		return statusCode == 200;
	}

}
