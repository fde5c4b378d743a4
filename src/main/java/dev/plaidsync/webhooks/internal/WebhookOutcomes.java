package dev.plaidsync.webhooks.internal;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.plaidsync.sync.RequestOutcome;
import dev.plaidsync.sync.RequestOutcome.ItemResult;
import dev.plaidsync.sync.SyncRequests;
import dev.plaidsync.sync.SyncRunEnded;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Ends LAUNCHED events when the run that served their sync request has ended, truthfully:
 * an event's outcome is the outcome of the fetch that served it. DONE with success when
 * the event's item had its data written by that run (from a fetch that started after the
 * event arrived), however the run as a whole ended (a run marked FAILED after it wrote
 * the item, say by a recovery, still served the event); otherwise, for a failure that may
 * pass (the institution was down, a rate limit, the run failed), the event goes back to
 * RECEIVED with a later {@code next_attempt_at} (bounded exponential backoff) and is
 * dispatched again then; for a failure that needs a person, or once the retries are
 * spent, it is FAILED with Plaid's code.
 */
@Component
class WebhookOutcomes {

	private static final Logger log = LoggerFactory.getLogger(WebhookOutcomes.class);

	private final JdbcClient jdbc;

	private final SyncRequests requests;

	private final WebhookRetryProperties retry;

	private final IntakeMetrics metrics;

	private final MeterRegistry meters;

	WebhookOutcomes(JdbcClient jdbc, SyncRequests requests, WebhookRetryProperties retry, IntakeMetrics metrics,
			MeterRegistry meters) {
		this.jdbc = jdbc;
		this.requests = requests;
		this.retry = retry;
		this.metrics = metrics;
		this.meters = meters;
	}

	/**
	 * After the run's end was committed, in one transaction: should it fail, or the node
	 * die first, the publication is resubmitted, and ending events again is harmless
	 * (only LAUNCHED ones are ended).
	 */
	@ApplicationModuleListener
	void runEnded(SyncRunEnded ended) {
		ended.requests().forEach(this::finish);
	}

	/** An event just recorded LAUNCHED may wait for a run that has already ended. */
	void finishIfEnded(long requestId) {
		this.requests.outcomes(List.of(requestId)).values().forEach(this::finish);
	}

	/**
	 * The safety net, on every node: LAUNCHED events whose request has ended (the node
	 * that ran it died before it ended them), and events LAUNCHED without a request
	 * (stored before requests had ids) dispatched again.
	 * @return how many events ended or went back to RECEIVED
	 */
	int sweep(Duration redispatchAfter) {
		List<Long> waiting = this.jdbc.sql("""
				SELECT DISTINCT sync_request_id FROM plaid_webhook_events
				WHERE status = 'LAUNCHED' AND sync_request_id IS NOT NULL LIMIT 1000
				""").query(Long.class).list();
		int ended = 0;
		for (RequestOutcome outcome : this.requests.outcomes(waiting).values()) {
			ended += finish(outcome);
		}
		ended += this.jdbc.sql("""
				UPDATE plaid_webhook_events SET status = 'RECEIVED', claimed_by = NULL, claimed_at = NULL,
				    status_reason = 'launched without a sync request id; dispatched again'
				WHERE status = 'LAUNCHED' AND sync_request_id IS NULL
				  AND created_at < now() - make_interval(secs => :after)
				""").param("after", redispatchAfter.toMillis() / 1000.0).update();
		return ended;
	}

	/**
	 * Ends every LAUNCHED event waiting for {@code outcome}'s request: one statement per
	 * item and verdict.
	 */
	int finish(RequestOutcome outcome) {
		List<String> itemIds = this.jdbc
			.sql("""
					SELECT DISTINCT item_id FROM plaid_webhook_events WHERE sync_request_id = :requestId AND status = 'LAUNCHED'
					""")
			.param("requestId", outcome.requestId())
			.query(String.class)
			.list();
		int changed = 0;
		for (String itemId : itemIds) {
			ItemResult result = outcome.items()
				.stream()
				.filter((item) -> item.itemId().equals(itemId))
				.findFirst()
				.orElseGet(() -> new ItemResult(itemId, false, "RUN_" + outcome.runStatus(),
						"the run did not cover this item", !"COMPLETED".equals(outcome.runStatus())));
			if (result.written()) {
				changed += done(itemId, outcome);
			}
			else {
				changed += (result.retryable() ? retryLater(itemId, outcome, result) : 0)
						+ failed(itemId, outcome, result);
			}
		}
		return changed;
	}

	private int done(String itemId, RequestOutcome outcome) {
		int updated = this.jdbc.sql("""
				UPDATE plaid_webhook_events SET status = 'DONE', success = true, error_message = NULL,
				    job_execution_id = CAST(:executionId AS bigint),
				    status_reason = CAST(:reason AS text),
				    processed_at = now(),
				    processing_duration_ms = LEAST(2147483647, extract(epoch FROM now() - created_at) * 1000)::int
				WHERE sync_request_id = :requestId AND status = 'LAUNCHED' AND item_id = :itemId
				""")
			.param("executionId", outcome.jobExecutionId())
			.param("reason", outcome.jobName() + " #" + outcome.jobExecutionId() + " wrote the item's data")
			.param("requestId", outcome.requestId())
			.param("itemId", itemId)
			.update();
		this.metrics.processed("DONE", updated);
		return updated;
	}

	/**
	 * Events with retries left go back to RECEIVED, due after initialDelay × 2^retries,
	 * at most maxDelay.
	 */
	private int retryLater(String itemId, RequestOutcome outcome, ItemResult result) {
		List<Integer> retries = this.jdbc
			.sql("""
					UPDATE plaid_webhook_events SET status = 'RECEIVED', success = NULL, claimed_by = NULL, claimed_at = NULL,
					    retries = retries + 1,
					    next_attempt_at = now() + LEAST(make_interval(secs => :maxDelay),
					        make_interval(secs => :initialDelay * power(2, LEAST(retries, 30)))),
					    job_execution_id = CAST(:executionId AS bigint), sync_request_id = NULL,
					    error_message = CAST(:error AS text),
					    status_reason = 'retry ' || (retries + 1) || ' of ' || :maxRetries || ' after ' || CAST(:code AS text)
					WHERE sync_request_id = :requestId AND status = 'LAUNCHED' AND item_id = :itemId AND retries < :maxRetries
					RETURNING retries
					""")
			.param("maxDelay", this.retry.maxDelay().toMillis() / 1000.0)
			.param("initialDelay", this.retry.initialDelay().toMillis() / 1000.0)
			.param("executionId", outcome.jobExecutionId())
			.param("error", error(result))
			.param("maxRetries", this.retry.maxRetries())
			.param("code", String.valueOf(result.errorCode()))
			.param("requestId", outcome.requestId())
			.param("itemId", itemId)
			.query(Integer.class)
			.list();
		if (!retries.isEmpty()) {
			Counter.builder("webhooks.retries")
				.description("Webhook events whose sync failed for a passing reason, scheduled to be dispatched again")
				.tag("code", String.valueOf(result.errorCode()))
				.register(this.meters)
				.increment(retries.size());
			log.info("{} webhook event(s) for item {}: {}; retry {} of {}", retries.size(), itemId, result.errorCode(),
					retries.stream().mapToInt(Integer::intValue).max().orElse(0), this.retry.maxRetries());
		}
		return retries.size();
	}

	/** Events whose failure needs a person, or whose retries are spent. */
	private int failed(String itemId, RequestOutcome outcome, ItemResult result) {
		int updated = this.jdbc.sql("""
				UPDATE plaid_webhook_events SET status = 'FAILED', success = false,
				    job_execution_id = CAST(:executionId AS bigint),
				    error_message = CAST(:error AS text),
				    status_reason = CASE WHEN :retryable THEN 'gave up after ' || retries || ' retries: '
				                         ELSE 'needs a person, not retried: ' END || CAST(:code AS text),
				    processed_at = now(),
				    processing_duration_ms = LEAST(2147483647, extract(epoch FROM now() - created_at) * 1000)::int
				WHERE sync_request_id = :requestId AND status = 'LAUNCHED' AND item_id = :itemId
				""")
			.param("executionId", outcome.jobExecutionId())
			.param("error", error(result))
			.param("retryable", result.retryable())
			.param("code", String.valueOf(result.errorCode()))
			.param("requestId", outcome.requestId())
			.param("itemId", itemId)
			.update();
		this.metrics.processed("FAILED", updated);
		return updated;
	}

	private static String error(ItemResult result) {
		String text = result.errorCode() + ((result.message() != null) ? ": " + result.message() : "");
		return (text.length() > 2000) ? text.substring(0, 2000) : text;
	}

}
