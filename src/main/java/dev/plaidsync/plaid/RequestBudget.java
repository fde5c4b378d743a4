package dev.plaidsync.plaid;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plaid's per-client limits as one budget for every thread and node, kept in PostgreSQL by bucket4j; and the
 * per-item limits, kept in memory since one item is synced by one run at a time.
 * <p>
 * Each metered endpoint has a client bucket refilled at the limit, less a safety margin, and a sweep bucket
 * refilled at the sweeps' share. A sweep call takes a permit from both; an interactive call only from the client
 * bucket, so the reserved share is always there for it. Callers wait for permits instead of spending a 429; after
 * a 429 a penalty is withdrawn from the shared bucket, which slows every node for a while.
 */
class RequestBudget {

	private static final Logger log = LoggerFactory.getLogger(RequestBudget.class);

	private final ProxyManager<String> buckets;

	private final PlaidProperties.Budget properties;

	private final MeterRegistry meters;

	private final Map<String, Bucket> itemBuckets = new ConcurrentHashMap<>();

	private final Map<String, Instant> institutionBackoff = new ConcurrentHashMap<>();

	private final Map<PlaidEndpoint, Instant> lastPenalty = new ConcurrentHashMap<>();

	RequestBudget(ProxyManager<String> buckets, PlaidProperties.Budget properties, MeterRegistry meters) {
		this.buckets = buckets;
		this.properties = properties;
		this.meters = meters;
	}

	void acquire(PlaidEndpoint endpoint, ItemAccess item, CallPriority priority) {
		long started = System.nanoTime();
		try {
			awaitInstitution(item);
			if (this.properties.enabled() && this.properties.clientLimit(endpoint) > 0) {
				if (priority == CallPriority.SWEEP) {
					sweepBucket(endpoint).asBlocking().consume(1);
					clientBucket(endpoint).asBlocking().consume(1);
				}
				else if (!clientBucket(endpoint).asBlocking().tryConsume(1, this.properties.maxInteractiveWait())) {
					throw new PlaidFailure(PlaidFailure.Kind.TRANSIENT, false, endpoint, "BUDGET", "BUDGET_EXHAUSTED",
							"no permit within " + this.properties.maxInteractiveWait(), null, item, null);
				}
			}
			if (this.properties.enabled() && item != null && this.properties.itemLimit(endpoint) > 0) {
				itemBucket(endpoint, item.itemId()).asBlocking().consume(1);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PlaidFailure(PlaidFailure.Kind.TRANSIENT, false, endpoint, null, "INTERRUPTED",
					"interrupted while waiting for a rate permit", null, item, ex);
		}
		finally {
			Timer.builder("plaid.budget.wait")
				.description("Time spent waiting for a Plaid rate permit")
				.tags("endpoint", endpoint.metricName(), "priority", priority.name().toLowerCase(java.util.Locale.ROOT))
				.register(this.meters)
				.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		}
	}

	void rateLimited(PlaidFailure failure) {
		if ("INSTITUTION_RATE_LIMIT".equals(failure.errorCode()) && failure.institutionId() != null) {
			return;
		}
		int limit = this.properties.clientLimit(failure.endpoint());
		if (this.properties.enabled() && limit > 0 && firstPenaltyInItsInterval(failure.endpoint())) {
			long penalty = Math.max(1, Math.round(limit * this.properties.rateLimitPenalty()));
			clientBucket(failure.endpoint()).consumeIgnoringRateLimits(penalty);
			log.warn("Plaid answered {} on {}: withdrew {} permits from the shared budget to slow every node down",
					failure.errorCode(), failure.endpoint().path(), penalty);
		}
	}

	/** A burst of 429s is one signal: the shared rate is lowered once per interval, not once per answer. */
	private boolean firstPenaltyInItsInterval(PlaidEndpoint endpoint) {
		Instant now = Instant.now();
		Instant previous = this.lastPenalty.get(endpoint);
		if (previous != null && previous.plus(this.properties.rateLimitPenaltyInterval()).isAfter(now)) {
			return false;
		}
		return (previous == null) ? this.lastPenalty.putIfAbsent(endpoint, now) == null
				: this.lastPenalty.replace(endpoint, previous, now);
	}

	void backOffInstitution(String institutionId, Duration backoff) {
		this.institutionBackoff.merge(institutionId, Instant.now().plus(backoff),
				(current, proposed) -> current.isAfter(proposed) ? current : proposed);
		log.warn("Plaid rate-limited institution {}: calls for its items wait {}", institutionId, backoff);
	}

	private void awaitInstitution(ItemAccess item) throws InterruptedException {
		if (item == null || item.institutionId() == null) {
			return;
		}
		Instant until = this.institutionBackoff.get(item.institutionId());
		if (until == null) {
			return;
		}
		long waitMillis = Duration.between(Instant.now(), until).toMillis();
		if (waitMillis <= 0) {
			this.institutionBackoff.remove(item.institutionId(), until);
			return;
		}
		Thread.sleep(waitMillis);
	}

	private Bucket clientBucket(PlaidEndpoint endpoint) {
		return distributedBucket("client:" + endpoint.metricName(), this.properties.clientLimit(endpoint));
	}

	private Bucket sweepBucket(PlaidEndpoint endpoint) {
		int sweepLimit = (int) Math.max(1, Math.floor(this.properties.clientLimit(endpoint) * (1 - this.properties.reservedShare())));
		return distributedBucket("sweep:" + endpoint.metricName(), sweepLimit);
	}

	private Bucket distributedBucket(String key, int limitPerWindow) {
		BucketConfiguration configuration = configuration(limitPerWindow);
		return this.buckets.builder()
			.withImplicitConfigurationReplacement(Objects.hash(limitPerWindow, this.properties.safetyMargin(),
					this.properties.window()), TokensInheritanceStrategy.RESET)
			.build(key, () -> configuration);
	}

	private Bucket itemBucket(PlaidEndpoint endpoint, String itemId) {
		if (this.itemBuckets.size() > 100_000) {
			this.itemBuckets.clear();
		}
		return this.itemBuckets.computeIfAbsent(endpoint.metricName() + ":" + itemId,
				(key) -> Bucket.builder().addLimit((limit) -> limit.capacity(this.properties.itemLimit(endpoint))
					.refillGreedy(this.properties.itemLimit(endpoint), this.properties.window())).build());
	}

	/**
	 * A burst allowance plus a steady refill that together never exceed the limit within any one window.
	 */
	private BucketConfiguration configuration(int limitPerWindow) {
		long burst = Math.max(1, Math.round(limitPerWindow * this.properties.safetyMargin() / 2));
		long steady = Math.max(1, limitPerWindow - 2 * burst);
		return BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(burst).refillGreedy(steady, this.properties.window()))
			.build();
	}

}
