package dev.plaidsync.plaid;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the engine reaches Plaid: {@code PLAID_ENV}, {@code PLAID_CLIENT_ID},
 * {@code PLAID_SECRET}, {@code PLAID_BASE_URL} and {@code PLAID_WEBHOOK_URL}, plus
 * timeouts, retries and the shared rate budget.
 */
@Validated
@ConfigurationProperties("plaid")
record PlaidProperties(@NotNull String env, String clientId, String secret, String baseUrl, String webhookUrl,
		@DefaultValue("Plaid Sync") String clientName, @Valid @DefaultValue Timeouts timeouts,
		@Valid @DefaultValue Retry retry, @Valid @DefaultValue Budget budget) {

	@Override
	public String toString() {
		return "PlaidProperties[env=" + this.env + ", clientId=" + this.clientId + ", secret=<redacted>, baseUrl="
				+ this.baseUrl + ", webhookUrl=" + this.webhookUrl + "]";
	}

	/**
	 * @param transactionsRead the first transactions call after Link can block for 1-2
	 * minutes
	 */
	record Timeouts(@DefaultValue("5s") Duration connect, @DefaultValue("60s") Duration read,
			@DefaultValue("150s") Duration transactionsRead) {
	}

	/**
	 * Backoff for rate-limited and transient failures: exponential with jitter, bounded
	 * in attempts and in total time.
	 */
	record Retry(@Min(0) @DefaultValue("4") int maxRetries, @DefaultValue("500ms") Duration initialDelay,
			@DefaultValue("2.0") double multiplier, @DefaultValue("250ms") Duration jitter,
			@DefaultValue("15s") Duration maxDelay, @DefaultValue("60s") Duration maxElapsed,
			@DefaultValue("60s") Duration institutionRateLimitBackoff) {
	}

	/**
	 * The client-wide budget per endpoint, shared by every thread and node through
	 * PostgreSQL. Webhook, user and operator calls go first; sweeps take every permit
	 * they leave.
	 *
	 * @param clientLimitsPerMinute overrides of Plaid's per-client limits, keyed by
	 * endpoint name (holdings, transactions, accounts, balance, item_get, item_remove)
	 * @param itemLimitsPerMinute overrides of Plaid's per-item limits
	 * @param safetyMargin the share of each limit left unspent, so that calls stamped by
	 * the database's clock never cross Plaid's window however they are spread on the way
	 * there (README, "Plaid's rate limits")
	 * @param rateLimitPenalty after a 429, this much of a window's budget is withdrawn
	 * for everyone...
	 * @param rateLimitPenaltyInterval ...at most once per interval, however many 429s
	 * arrive in it
	 * @param maxInteractiveWait how long a webhook or user call waits for a permit before
	 * it fails as transient
	 * @param window the period the limits count over: Plaid's is a minute; tests shorten
	 * it
	 * @param clockCalibration how often each node measures its offset to the database's
	 * clock
	 * @param sweepLookahead how far ahead in line a sweep may hold a permit (at least one
	 * refill): an interactive call waits at most this long behind sweeps, and sweeps lose
	 * no refill to threads that wake this much late
	 */
	record Budget(@DefaultValue("true") boolean enabled, Map<String, Integer> clientLimitsPerMinute,
			Map<String, Integer> itemLimitsPerMinute,
			@DecimalMin("0.0") @DecimalMax("0.5") @DefaultValue("0.02") double safetyMargin,
			@DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.05") double rateLimitPenalty,
			@DefaultValue("10s") Duration rateLimitPenaltyInterval, @DefaultValue("30s") Duration maxInteractiveWait,
			@DefaultValue("1m") Duration window, @DefaultValue("15s") Duration clockCalibration,
			@DefaultValue("250ms") Duration sweepLookahead) {

		int clientLimit(PlaidEndpoint endpoint) {
			return override(this.clientLimitsPerMinute, endpoint, endpoint.defaultClientLimitPerMinute());
		}

		int itemLimit(PlaidEndpoint endpoint) {
			return override(this.itemLimitsPerMinute, endpoint, endpoint.defaultItemLimitPerMinute());
		}

		private static int override(Map<String, Integer> overrides, PlaidEndpoint endpoint, int fallback) {
			if (overrides == null) {
				return fallback;
			}
			return overrides.getOrDefault(endpoint.metricName(),
					overrides.getOrDefault(endpoint.metricName().replace('_', '-'), fallback));
		}

	}

}
