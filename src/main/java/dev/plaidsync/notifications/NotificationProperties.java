package dev.plaidsync.notifications;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The outgoing events ({@code plaidsync.events}).
 *
 * @param webhook where and how events are delivered
 */
@Validated
@ConfigurationProperties("plaidsync.events")
record NotificationProperties(@Valid @DefaultValue Webhook webhook) {

	/**
	 * @param url {@code PLAIDSYNC_EVENTS_WEBHOOK_URL}: the endpoint every event is POSTed
	 * to; none: events are still written to the outbox (the stream reads them) but
	 * nothing is delivered
	 * @param secret {@code PLAIDSYNC_EVENTS_WEBHOOK_SECRET}: {@code whsec_} and base64;
	 * two, separated by a space or a comma, during a rotation (each delivery carries a
	 * signature by each)
	 * @param connectTimeout how long a connection to the endpoint may take
	 * @param readTimeout how long the endpoint may take to answer
	 * @param initialDelay the first retry's delay; each next one doubles, with jitter
	 * @param maxDelay the longest delay between two attempts
	 * @param giveUpAfter how long after its first attempt an event is retried before it
	 * is marked FAILED (operators can replay it)
	 * @param workers deliveries in flight at once on this node (one per user at a time)
	 * @param pollInterval how often the worker looks for due deliveries that other nodes
	 * wrote (this node's own are picked up at once)
	 */
	record Webhook(@Nullable String url, @Nullable String secret, @DefaultValue("2s") Duration connectTimeout,
			@DefaultValue("5s") Duration readTimeout, @DefaultValue("5s") Duration initialDelay,
			@DefaultValue("1h") Duration maxDelay, @DefaultValue("24h") Duration giveUpAfter,
			@DefaultValue("4") @Positive int workers, @DefaultValue("1s") Duration pollInterval) {

		boolean configured() {
			return this.url != null && !this.url.isBlank();
		}

		/** Long enough for a connection and an answer: a claim outlives its call. */
		Duration lease() {
			return this.connectTimeout.plus(this.readTimeout).plusSeconds(10);
		}

		@Override
		public String toString() {
			return "Webhook[url=" + this.url + ", secret=<redacted>, readTimeout=" + this.readTimeout + "]";
		}

	}

}
