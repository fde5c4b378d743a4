package dev.plaidsync.portfolio;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What one user, or all users on one node, may ask of the engine, so that {@code /api}
 * cannot be used to exhaust it.
 *
 * @param linkTokens {@code POST /api/plaid/link-token} and update-mode link tokens per
 * user, across replicas
 * @param exchanges {@code POST /api/plaid/items} (public-token exchanges) per user,
 * across replicas
 * @param reconnections {@code POST /api/plaid/items/{id}/reconnected} per user, across
 * replicas (each asks Plaid's {@code /item/get}); one that repairs the item also counts
 * as a sync, like a force-sync
 * @param removals {@code DELETE /api/plaid/items/{id}} and {@code DELETE /api/me} per
 * user, across replicas
 * @param streamTickets {@code POST /api/portfolio/stream-ticket} per user, across
 * replicas: 20 per 10 minutes, refilled gradually (a browser reconnecting every 30 s is
 * never refused)
 * @param maxStreams live server-sent-event streams on this node; beyond it a new stream
 * answers 503
 * @param streamRetryAfter the {@code Retry-After} of that 503
 */
@Validated
@ConfigurationProperties("plaidsync.api.limits")
record UserApiLimitsProperties(@Valid @DefaultValue Rate linkTokens, @Valid @DefaultValue Rate exchanges,
		@Valid @DefaultValue Rate reconnections, @Valid @DefaultValue Rate removals,
		@Valid @DefaultValue Rate streamTickets, @Min(1) @DefaultValue("2000") int maxStreams,
		@DefaultValue("30s") Duration streamRetryAfter) {

	/** {@code capacity} requests per {@code period}, refilled gradually. */
	record Rate(@Min(1) @DefaultValue("10") int capacity, @DefaultValue("1h") Duration period) {
	}

}
