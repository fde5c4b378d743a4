package dev.plaidsync.webhooks.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Counts what intake answers ({@code webhooks.received} by type, code and outcome;
 * {@code webhooks.rejected} by reason), so that the rejection ratio Plaid judges an
 * endpoint by is visible, and logs rejections at a bounded rate: at most one line per
 * reason per interval, with the number suppressed since.
 */
@Component
class IntakeMetrics {

	private static final Logger log = LoggerFactory.getLogger(IntakeMetrics.class);

	private static final Set<String> KNOWN_TYPES = Set.of("HOLDINGS", "INVESTMENTS_TRANSACTIONS", "ITEM");

	private final MeterRegistry meters;

	private final long logIntervalNanos;

	private final ConcurrentMap<String, LogWindow> windows = new ConcurrentHashMap<>();

	IntakeMetrics(MeterRegistry meters, WebhookProperties properties) {
		this.meters = meters;
		this.logIntervalNanos = properties.rejectionLogInterval().toNanos();
		processed("DONE", 0);
		processed("FAILED", 0);
	}

	/**
	 * Events whose processing ended, by result: what the webhook failure-rate alert
	 * divides.
	 */
	void processed(String status, long count) {
		Counter.builder("webhooks.processed")
			.description("Webhook events whose processing ended, by result (done or failed)")
			.tag("result", status.toLowerCase(java.util.Locale.ROOT))
			.register(this.meters)
			.increment(count);
	}

	void received(String type, String code, String outcome) {
		boolean known = KNOWN_TYPES.contains(type) && WebhookBody.isKnown(type, code);
		Counter.builder("webhooks.received")
			.description("Webhooks stored, by type, code and the status they were stored with")
			.tags("type", known ? type : "other", "code", known ? code : "other", "outcome", outcome)
			.register(this.meters)
			.increment();
	}

	void rejected(Rejection rejection, String remoteAddress) {
		Counter.builder("webhooks.rejected")
			.description("Requests to /webhook/plaid answered without storing, by reason")
			.tags("reason", rejection.reason(), "status", String.valueOf(rejection.status().value()))
			.register(this.meters)
			.increment();
		LogWindow window = this.windows.computeIfAbsent(rejection.reason(), (reason) -> new LogWindow());
		long suppressed = window.admit(System.nanoTime(), this.logIntervalNanos);
		if (suppressed >= 0) {
			log.warn("Webhook rejected with {} ({}) from {}: {}{}", rejection.status().value(), rejection.reason(),
					remoteAddress, rejection.getMessage(),
					(suppressed > 0) ? " (" + suppressed + " more like it since the last line)" : "");
		}
	}

	private static final class LogWindow {

		private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);

		private final AtomicLong suppressed = new AtomicLong();

		/**
		 * The number suppressed since the last line when this one may be logged,
		 * otherwise -1.
		 */
		long admit(long now, long interval) {
			long last = this.lastLogged.get();
			if ((last == Long.MIN_VALUE || now - last >= interval) && this.lastLogged.compareAndSet(last, now)) {
				return this.suppressed.getAndSet(0);
			}
			this.suppressed.incrementAndGet();
			return -1;
		}

	}

}
