package dev.plaidsync.simulator;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Plaid simulator ({@code plaidsync.simulator.*}). Every value can also
 * be changed at runtime through {@link PlaidSimulator} or the control API; these are the
 * start values.
 *
 * @param seed seed of the security universe, the fault dice and the webhook ids
 * @param latency base latency added to every Plaid data call
 * @param latencyJitter uniform random extra latency, 0 to this value
 * @param firstTransactionsLatency extra latency of the first
 * /investments/transactions/get of an item
 * @param errorRate429 share of data calls answered 429 RATE_LIMIT
 * @param errorRate500 share of data calls answered 500 INTERNAL_SERVER_ERROR
 * @param errorRateInstitutionDown share of data calls answered 400 INSTITUTION_DOWN
 * @param rateLimitsEnabled whether Plaid's per-item and per-client limits apply
 * @param limits requests per minute per endpoint, per item and per client
 * @param webhookRetryScale multiplies Plaid's retry delays (30 s, then ×4, up to 24 h)
 * @param webhookTimeout how long a webhook receiver may take before the attempt counts as
 * failed
 * @param refreshWebhookDelay delay between /investments/refresh and its DEFAULT_UPDATE
 * webhooks
 * @param startDaysAgo the simulated day starts this many days before today, so that tests
 * can advance it without passing the real date (the engine asks Plaid for transactions up
 * to the real date)
 * @param dayAdvancePeriod wall time after which the simulated day advances by itself;
 * zero means never
 * @param defaultWebhookUrl webhook URL of items whose URL the simulator does not know
 * (after a restart)
 */
@Validated
@ConfigurationProperties(prefix = "plaidsync.simulator")
public record SimulatorProperties(@DefaultValue("42") long seed, @DefaultValue("0") @PositiveOrZero int startDaysAgo,
		@DefaultValue("50ms") @NotNull Duration latency, @DefaultValue("100ms") @NotNull Duration latencyJitter,
		@DefaultValue("2s") @NotNull Duration firstTransactionsLatency,
		@DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double errorRate429,
		@DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double errorRate500,
		@DefaultValue("0") @DecimalMin("0") @DecimalMax("1") double errorRateInstitutionDown,
		@DefaultValue("true") boolean rateLimitsEnabled, @DefaultValue @Valid @NotNull Limits limits,
		@DefaultValue("1.0") @PositiveOrZero double webhookRetryScale,
		@DefaultValue("5s") @NotNull Duration webhookTimeout, @DefaultValue("5s") @NotNull Duration refreshWebhookDelay,
		@DefaultValue("0s") @NotNull Duration dayAdvancePeriod, String defaultWebhookUrl) {

	/**
	 * Requests per minute, per endpoint, as Plaid's production limits; {@code window}
	 * shortens the minute they count over, so that tests and benchmarks of rate limits
	 * take seconds.
	 */
	public record Limits(@DefaultValue("15") @Positive int holdingsPerItem,
			@DefaultValue("2000") @Positive int holdingsPerClient,
			@DefaultValue("30") @Positive int transactionsPerItem,
			@DefaultValue("20000") @Positive int transactionsPerClient,
			@DefaultValue("15") @Positive int accountsPerItem, @DefaultValue("15000") @Positive int accountsPerClient,
			@DefaultValue("5") @Positive int balancePerItem, @DefaultValue("1200") @Positive int balancePerClient,
			@DefaultValue("15") @Positive int itemGetPerItem, @DefaultValue("5000") @Positive int itemGetPerClient,
			@DefaultValue("30") @Positive int itemRemovePerItem,
			@DefaultValue("2000") @Positive int itemRemovePerClient, @DefaultValue("60s") @NotNull Duration window) {
	}

}
