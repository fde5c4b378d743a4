package dev.plaidsync.plaid;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plaid's per-client limits as one budget for every thread and node, kept in PostgreSQL
 * by bucket4j; and the per-item limits, kept in memory since one item is synced by one
 * run at a time.
 * <p>
 * Each metered endpoint has one client bucket, refilled at the limit less a safety margin
 * and stamped with the database's clock ({@link DatabaseClock}), so that no window of
 * Plaid's exceeds the limit across all nodes. Who goes first is decided by how a call
 * takes its permit, which bucket4j does atomically in one row-locked transaction:
 * <ul>
 * <li>A webhook, user or operator call <em>reserves</em> a permit: if none is there it
 * takes one in advance (the bucket goes below zero) and sleeps until the refill has paid
 * for it. It is in line from that moment.</li>
 * <li>A sweep reserves too, but only a place at most {@code sweep-lookahead} (250 ms, at
 * least one refill) ahead ({@code tryConsume} with that as its longest wait: bucket4j
 * reserves nothing when the wait would be longer). When the line is longer, because
 * interactive calls or another sweep thread hold it, the sweep sleeps until it is short
 * enough and tries again.</li>
 * </ul>
 * So sweeps spend the whole budget while nobody else wants it (their reservations claim
 * every refill the moment it comes, however late their threads wake), and an interactive
 * call waits at most the lookahead plus one refill plus the interactive calls ahead of
 * it. Within a node, sweep threads try one at a time per endpoint (a fair lock), so that
 * a refill wakes one sweep thread per node rather than all of them. Callers wait for
 * permits instead of spending a 429; after a 429 a penalty is withdrawn from the shared
 * bucket, which slows every node for a while.
 */
class RequestBudget {

	private static final Logger log = LoggerFactory.getLogger(RequestBudget.class);

	private final ProxyManager<String> buckets;

	private final DatabaseClock clock;

	private final PlaidProperties.Budget properties;

	private final MeterRegistry meters;

	/**
	 * Each item's own bucket, for as long as it can hold anything but a full allowance:
	 * one left unused for a whole window has refilled completely, so dropping it then
	 * loses nothing. That bounds the map by the items called in the last window (at most
	 * the client limit), not by the fleet a sweep walks through.
	 */
	private final Map<String, Bucket> itemBuckets;

	private final Map<PlaidEndpoint, ReentrantLock> sweepTurns = new ConcurrentHashMap<>();

	private final Map<String, Instant> institutionBackoff = new ConcurrentHashMap<>();

	private final Map<PlaidEndpoint, Instant> lastPenalty = new ConcurrentHashMap<>();

	RequestBudget(ProxyManager<String> buckets, DatabaseClock clock, PlaidProperties.Budget properties,
			MeterRegistry meters) {
		this.buckets = buckets;
		this.clock = clock;
		this.properties = properties;
		this.meters = meters;
		this.itemBuckets = Caffeine.newBuilder().expireAfterAccess(properties.window()).<String, Bucket>build().asMap();
	}

	void acquire(PlaidEndpoint endpoint, ItemAccess item, CallPriority priority) {
		long started = System.nanoTime();
		try {
			awaitInstitution(item);
			// the item's own limit first: once the client permit is taken, the call must
			// leave at once, or calls
			// would reach Plaid bunched up behind item waits
			if (this.properties.enabled() && item != null && this.properties.itemLimit(endpoint) > 0) {
				itemBucket(endpoint, item.itemId()).asBlocking().consume(1);
			}
			if (this.properties.enabled() && this.properties.clientLimit(endpoint) > 0) {
				this.clock.calibrateIfStale();
				if (priority == CallPriority.SWEEP) {
					takeAPermitNobodyWaitsFor(endpoint);
				}
				else if (!clientBucket(endpoint).asBlocking().tryConsume(1, this.properties.maxInteractiveWait())) {
					throw new PlaidFailure(PlaidFailure.Kind.TRANSIENT, false, endpoint, "BUDGET", "BUDGET_EXHAUSTED",
							"no permit within " + this.properties.maxInteractiveWait(), null, item, null);
				}
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

	/**
	 * A sweep's permit: one in the bucket now, or a place in line no further than
	 * {@code sweep-lookahead} (at least one refill) ahead, and only when nobody else is
	 * in line beyond that. A sweep thus holds at most that much of the line, whatever the
	 * number of threads and nodes; every interactive reservation made after it waits at
	 * most that long behind it. A thread that finds the line longer sleeps, holding its
	 * node's turn, until the line is short enough, and tries again; it leaves the turn to
	 * the next sweep thread as soon as it holds its place, so that the next place is
	 * taken in time even while it is still asleep.
	 */
	private void takeAPermitNobodyWaitsFor(PlaidEndpoint endpoint) throws InterruptedException {
		ReentrantLock turn = this.sweepTurns.computeIfAbsent(endpoint, (key) -> new ReentrantLock(true));
		Bucket bucket = clientBucket(endpoint);
		long refillNanos = Math.max(1,
				this.properties.window().toNanos() / steady(this.properties.clientLimit(endpoint)));
		long lookaheadNanos = Math.max(refillNanos, this.properties.sweepLookahead().toNanos());
		BlockingStrategy leaveTheTurnThenSleep = (nanos) -> {
			if (turn.isHeldByCurrentThread()) {
				turn.unlock();
			}
			BlockingStrategy.PARKING.park(nanos);
		};
		turn.lockInterruptibly();
		try {
			while (true) {
				if (bucket.asBlocking().tryConsume(1, lookaheadNanos, leaveTheTurnThenSleep)) {
					return;
				}
				EstimationProbe line = bucket.estimateAbilityToConsume(1);
				if (!line.canBeConsumed()) {
					TimeUnit.NANOSECONDS.sleep(Math.max(0, line.getNanosToWaitForRefill() - lookaheadNanos));
				}
				this.clock.calibrateIfStale();
			}
		}
		finally {
			if (turn.isHeldByCurrentThread()) {
				turn.unlock();
			}
		}
	}

	void rateLimited(PlaidFailure failure) {
		if ("INSTITUTION_RATE_LIMIT".equals(failure.errorCode()) && failure.institutionId() != null) {
			return;
		}
		int limit = this.properties.clientLimit(failure.endpoint());
		if (this.properties.enabled() && limit > 0 && firstPenaltyInItsInterval(failure.endpoint())) {
			this.clock.calibrateIfStale();
			long penalty = Math.max(1, Math.round(limit * this.properties.rateLimitPenalty()));
			clientBucket(failure.endpoint()).consumeIgnoringRateLimits(penalty);
			log.warn("Plaid answered {} on {}: withdrew {} permits from the shared budget to slow every node down",
					failure.errorCode(), failure.endpoint().path(), penalty);
		}
	}

	/**
	 * A burst of 429s is one signal: the shared rate is lowered once per interval, not
	 * once per answer.
	 */
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

	private Bucket distributedBucket(String key, int limitPerWindow) {
		BucketConfiguration configuration = configuration(limitPerWindow);
		return this.buckets.builder()
			.withImplicitConfigurationReplacement(
					Objects.hash(limitPerWindow, this.properties.safetyMargin(), this.properties.window()),
					TokensInheritanceStrategy.AS_IS)
			.build(key, () -> configuration);
	}

	private Bucket itemBucket(PlaidEndpoint endpoint, String itemId) {
		return this.itemBuckets.computeIfAbsent(endpoint.metricName() + ":" + itemId,
				(key) -> Bucket.builder()
					.addLimit((limit) -> limit.capacity(this.properties.itemLimit(endpoint))
						.refillGreedy(this.properties.itemLimit(endpoint), this.properties.window()))
					.build());
	}

	/**
	 * A burst allowance plus a steady refill that together never exceed the limit within
	 * any one window, with room to spare for calls spread on their way to Plaid: in any
	 * span of a window plus {@code d}, at most {@code burst + steady * (1 + d / window)}
	 * permits, which stays within the limit while
	 * {@code d <= window * (margin / 2) / (1 - margin)} (0.61 s of a minute at the
	 * default 2%).
	 */
	private BucketConfiguration configuration(int limitPerWindow) {
		return BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(burst(limitPerWindow))
				.refillGreedy(steady(limitPerWindow), this.properties.window()))
			.build();
	}

	private long burst(int limitPerWindow) {
		return Math.max(1, Math.round(limitPerWindow * this.properties.safetyMargin() / 2));
	}

	private long steady(int limitPerWindow) {
		return Math.max(1, limitPerWindow - 2 * burst(limitPerWindow));
	}

}
