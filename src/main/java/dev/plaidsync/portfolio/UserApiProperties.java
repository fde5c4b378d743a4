package dev.plaidsync.portfolio;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The user API.
 *
 * @param cacheTtl {@code PLAIDSYNC_PORTFOLIO_CACHE_TTL}: how long a portfolio read is
 * cached; a completed sync evicts it at once on every replica
 * @param maxBodySize larger request bodies are refused with 413
 * @param notifyChannel the PostgreSQL channel that carries "this user's portfolio
 * changed" between replicas
 * @param listenerReconnectDelay how long the listener waits before reconnecting after its
 * connection failed
 * @param streamTimeout how long one server-sent-events stream stays open; clients
 * reconnect
 * @param streamHeartbeat how often an idle stream gets a comment, so that proxies keep it
 * open
 * @param maxStreamsPerUser a user's oldest stream on this replica is closed beyond this
 * @param watchWindow {@code PLAIDSYNC_API_WATCH_WINDOW}: after a portfolio read, and
 * while a stream is open, the user's items count as watched this long: their webhook runs
 * start ahead of other webhooks' runs
 */
@Validated
@ConfigurationProperties("plaidsync.api")
record UserApiProperties(@DefaultValue("30m") Duration cacheTtl, @DefaultValue("16KB") DataSize maxBodySize,
		@DefaultValue("plaidsync_portfolio") String notifyChannel, @DefaultValue("2s") Duration listenerReconnectDelay,
		@DefaultValue("30m") Duration streamTimeout, @DefaultValue("25s") Duration streamHeartbeat,
		@Min(1) @Max(100) @DefaultValue("5") int maxStreamsPerUser, @Valid @DefaultValue ForceSync forceSync,
		@DefaultValue("5m") Duration watchWindow) {

	/**
	 * @param timeout {@code PLAIDSYNC_FORCE_SYNC_TIMEOUT}: how long the request waits for
	 * its runs before answering 202 with their execution ids
	 * @param minInterval {@code PLAIDSYNC_FORCE_SYNC_MIN_INTERVAL}: one force-sync per
	 * user per interval, across all replicas (Plaid's budget is shared)
	 * @param refreshInvestments {@code PLAIDSYNC_FORCE_SYNC_REFRESH_INVESTMENTS}: call
	 * /investments/refresh (billed) first, where the institution supports it
	 */
	record ForceSync(@DefaultValue("25s") Duration timeout, @DefaultValue("1m") Duration minInterval,
			@DefaultValue("false") boolean refreshInvestments) {
	}

}
