package dev.plaidsync.webhooks.internal;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook intake and dispatch ({@code plaidsync.webhooks.*}).
 *
 * @param maxBodySize larger bodies are answered 413 without being read
 * @param keyCacheTtl how long a fetched verification key is trusted before it is fetched
 * again
 * @param maxTokenAge the JWT's {@code iat} may be at most this old (Plaid: 5 minutes)
 * @param maxClockSkew ...and at most this far in the future
 * @param unknownKeyFetchesPerMinute key fetches for unknown {@code kid}s, so forged kids
 * cannot flood Plaid
 * @param intake the dedicated connection pool that stores events, so that a 503 comes
 * fast when the database is down
 * @param dispatch the after-commit dispatch and the inbox claimer
 * @param rejectionLogInterval rejected requests are logged at most once per reason in
 * this interval
 * @param bodyTimeout the whole body must arrive within this long after the headers, or it
 * is answered 408 and the connection closed; it is read without holding a request thread
 * ({@link WebhookBodyReader})
 * @param maxRequestsPerAddress requests to {@code /webhook/**} in flight at once from one
 * client address; beyond it they are answered 429 at once. Behind a proxy, set
 * {@code server.forward-headers-strategy} so that this is the client's address, not the
 * proxy's
 */
@Validated
@ConfigurationProperties("plaidsync.webhooks")
record WebhookProperties(@NotNull @DefaultValue("64KB") DataSize maxBodySize,
		@NotNull @DefaultValue("10m") Duration keyCacheTtl, @NotNull @DefaultValue("5m") Duration maxTokenAge,
		@NotNull @DefaultValue("1m") Duration maxClockSkew,
		@Min(1) @Max(10000) @DefaultValue("30") int unknownKeyFetchesPerMinute,
		@Valid @NotNull @DefaultValue Intake intake, @Valid @NotNull @DefaultValue Dispatch dispatch,
		@NotNull @DefaultValue("10s") Duration rejectionLogInterval, @NotNull @DefaultValue("5s") Duration bodyTimeout,
		@Min(1) @Max(100000) @DefaultValue("64") int maxRequestsPerAddress) {

	/**
	 * @param poolSize connections of the intake pool
	 * @param connectionTimeout how long a request waits for an intake connection before
	 * it is answered 503
	 * @param socketTimeoutSeconds a statement that hears nothing from the database for
	 * this long fails
	 */
	record Intake(@Min(1) @Max(200) @DefaultValue("8") int poolSize,
			@NotNull @DefaultValue("1500ms") Duration connectionTimeout,
			@Min(1) @DefaultValue("3") int socketTimeoutSeconds) {
	}

	/**
	 * @param threads dispatch threads per node; one item's events always go to the same
	 * thread
	 * @param delay how long after its commit an event is dispatched, so that one item's
	 * burst launches one run
	 * @param queueCapacity events waiting per thread; beyond it they wait in the database
	 * for the claimer
	 * @param claimInterval how often a node looks for events left RECEIVED
	 * @param claimAfter an event RECEIVED for this long, unclaimed, is taken by the
	 * claimer
	 * @param claimLease a claimed event still RECEIVED after this long is taken again
	 * (its node died)
	 * @param claimBatch events claimed at once
	 * @param completionCheckInterval how often LAUNCHED events are checked for their
	 * execution's end
	 * @param maxAttempts after this many failed dispatches an event is FAILED
	 * @param coalescedRecheckAfter an event LAUNCHED without a sync request id (stored by
	 * an older version) is dispatched again after this long
	 * @param duplicateWindow a body repeating the item's previous event within this
	 * window is a redelivery (Plaid retries for 24 hours)
	 */
	record Dispatch(@Min(1) @Max(64) @DefaultValue("4") int threads, @NotNull @DefaultValue("500ms") Duration delay,
			@Min(1) @DefaultValue("5000") int queueCapacity, @NotNull @DefaultValue("5s") Duration claimInterval,
			@NotNull @DefaultValue("5s") Duration claimAfter, @NotNull @DefaultValue("2m") Duration claimLease,
			@Min(1) @Max(10000) @DefaultValue("200") int claimBatch,
			@NotNull @DefaultValue("2s") Duration completionCheckInterval, @Min(1) @DefaultValue("5") int maxAttempts,
			@NotNull @DefaultValue("30s") Duration coalescedRecheckAfter,
			@NotNull @DefaultValue("24h") Duration duplicateWindow) {
	}

}
