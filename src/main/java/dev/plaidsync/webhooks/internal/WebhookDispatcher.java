package dev.plaidsync.webhooks.internal;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.plaidsync.common.LogContext;
import dev.plaidsync.webhooks.internal.WebhookActions.Outcome;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Moves stored events on, after their commit: claims one (an atomic update, so no event
 * is processed twice at once, on any node), skips a redelivered duplicate, applies it
 * through {@link WebhookActions}, and records the outcome. One item's events go to the
 * same thread, in arrival order. What a node could not dispatch (it died, its queue was
 * full, the database failed) stays RECEIVED, and the claimer of any node takes it up.
 */
@Component
class WebhookDispatcher implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

	private final String nodeId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

	private final JdbcClient jdbc;

	private final WebhookActions actions;

	private final JsonMapper json;

	private final WebhookProperties.Dispatch properties;

	private final List<ScheduledThreadPoolExecutor> lanes = new ArrayList<>();

	private final IntakeMetrics metrics;

	private final WebhookOutcomes outcomes;

	WebhookDispatcher(JdbcClient jdbc, WebhookActions actions, JsonMapper json, WebhookProperties properties,
			IntakeMetrics metrics, WebhookOutcomes outcomes) {
		this.metrics = metrics;
		this.outcomes = outcomes;
		this.jdbc = jdbc;
		this.actions = actions;
		this.json = json;
		this.properties = properties.dispatch();
		for (int lane = 0; lane < this.properties.threads(); lane++) {
			this.lanes.add(new ScheduledThreadPoolExecutor(1,
					new CustomizableThreadFactory("webhook-dispatch-" + lane + "-")));
		}
	}

	String nodeId() {
		return this.nodeId;
	}

	/**
	 * Dispatches a just-committed event on this node after {@code dispatch.delay}, so
	 * that a burst for one item is claimed and launched as one; or leaves it to the
	 * claimer when this node is saturated.
	 */
	void dispatchSoon(UUID eventId, String itemId) {
		ScheduledThreadPoolExecutor lane = lane(itemId);
		if (lane.getQueue().size() >= this.properties.queueCapacity()) {
			log.debug("Dispatch queue full; event {} waits for the claimer", eventId);
			return;
		}
		try {
			lane.schedule(() -> claim(eventId).ifPresent(this::process), this.properties.delay().toMillis(),
					TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException saturated) {
			log.debug("Dispatch queue full; event {} waits for the claimer", eventId);
		}
	}

	/**
	 * Claims events left RECEIVED (by a node that died after answering 200, or that could
	 * not dispatch them), with {@code FOR UPDATE SKIP LOCKED} so that nodes claiming at
	 * once share them out, and dispatches them.
	 * @return how many were claimed
	 */
	int claimLeftovers() {
		List<ClaimedEvent> claimed = this.jdbc.sql("""
				WITH leftovers AS (
				    SELECT id FROM plaid_webhook_events
				    WHERE status = 'RECEIVED' AND created_at < now() - make_interval(secs => :claimAfter)
				      AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => :lease))
				      AND (next_attempt_at IS NULL OR next_attempt_at <= now())
				    ORDER BY created_at
				    LIMIT :batch
				    FOR UPDATE SKIP LOCKED)
				UPDATE plaid_webhook_events e SET claimed_by = :node, claimed_at = now(),
				    dispatch_attempts = e.dispatch_attempts + 1
				FROM leftovers WHERE e.id = leftovers.id
				RETURNING e.id, e.item_id, e.user_id, e.body_sha256, e.created_at, e.dispatch_attempts,
				    e.raw_webhook_data::text
				""")
			.param("claimAfter", this.properties.claimAfter().toMillis() / 1000.0)
			.param("lease", this.properties.claimLease().toMillis() / 1000.0)
			.param("batch", this.properties.claimBatch())
			.param("node", this.nodeId)
			.query(WebhookDispatcher::claimedEvent)
			.list();
		for (ClaimedEvent event : claimed) {
			try {
				lane(event.itemId()).execute(() -> process(event));
			}
			catch (RejectedExecutionException saturated) {
				release(event.id(), null);
			}
		}
		if (!claimed.isEmpty()) {
			log.info("Claimed {} webhook event(s) left RECEIVED", claimed.size());
		}
		return claimed.size();
	}

	private Optional<ClaimedEvent> claim(UUID eventId) {
		try {
			return this.jdbc.sql("""
					UPDATE plaid_webhook_events SET claimed_by = :node, claimed_at = now(),
					    dispatch_attempts = dispatch_attempts + 1
					WHERE id = :id AND status = 'RECEIVED'
					  AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => :lease))
					RETURNING id, item_id, user_id, body_sha256, created_at, dispatch_attempts, raw_webhook_data::text
					""")
				.param("id", eventId)
				.param("node", this.nodeId)
				.param("lease", this.properties.claimLease().toMillis() / 1000.0)
				.query(WebhookDispatcher::claimedEvent)
				.optional();
		}
		catch (RuntimeException ex) {
			log.warn("Could not claim webhook event {}; the claimer will retry: {}", eventId, ex.getMessage());
			return Optional.empty();
		}
	}

	void process(ClaimedEvent event) {
		try (LogContext.Scope logContext = LogContext.open()
			.put(LogContext.WEBHOOK_EVENT_ID, event.id())
			.put(LogContext.ITEM_ID, event.itemId())
			.put(LogContext.USER_ID, event.userId())) {
			process(event, logContext);
		}
	}

	private void process(ClaimedEvent event, LogContext.Scope logContext) {
		List<UUID> siblings = List.of();
		try {
			WebhookBody body = WebhookBody.parse(event.rawJson().getBytes(StandardCharsets.UTF_8), this.json);
			Optional<UUID> original = WebhookActions.launchesSync(body) ? Optional.empty() : duplicateOf(event);
			if (original.isPresent()) {
				record(event.id(), Outcome
					.done("duplicate of " + original.get() + ": a redelivery of the same body; nothing to do again"));
				return;
			}
			siblings = claimWaitingHoldingsUpdates(event, body);
			Outcome outcome = this.actions.apply(event, body);
			logContext.put(LogContext.EXECUTION_ID, outcome.jobExecutionId());
			log.debug("Webhook event {} ({}/{}): {}, {}", event.id(), body.type(), body.code(), outcome.status(),
					outcome.reason());
			record(event.id(), outcome);
			for (UUID sibling : siblings) {
				record(sibling, outcome.sharedWith(event.id()));
			}
			if (outcome.syncRequestId() != null) {
				this.outcomes.finishIfEnded(outcome.syncRequestId());
			}
		}
		catch (RuntimeException ex) {
			if (event.attempts() >= this.properties.maxAttempts()) {
				log.warn("Webhook event {} failed after {} attempts: {}", event.id(), event.attempts(), ex.toString());
				record(event.id(),
						Outcome.failed("dispatch failed after " + event.attempts() + " attempts", ex.toString()));
			}
			else {
				log.warn("Webhook event {} could not be dispatched (attempt {}); it will be retried: {}", event.id(),
						event.attempts(), ex.toString());
				release(event.id(), ex.toString());
			}
			siblings.forEach((sibling) -> release(sibling, null));
		}
	}

	/**
	 * Other HOLDINGS/DEFAULT_UPDATE events of the same item still waiting (a burst):
	 * claimed now, before the launch, so the one run requested next covers them all,
	 * since it fetches after every one of them was stored.
	 */
	private List<UUID> claimWaitingHoldingsUpdates(ClaimedEvent event, WebhookBody body) {
		if (!"HOLDINGS".equals(body.type()) || !"DEFAULT_UPDATE".equals(body.code()) || body.error() != null) {
			return List.of();
		}
		return this.jdbc.sql("""
				UPDATE plaid_webhook_events SET claimed_by = :node, claimed_at = now(),
				    dispatch_attempts = dispatch_attempts + 1
				WHERE item_id = :itemId AND id <> :id AND status = 'RECEIVED'
				  AND webhook_type = 'HOLDINGS' AND webhook_code = 'DEFAULT_UPDATE'
				  AND coalesce(jsonb_typeof(raw_webhook_data -> 'error'), 'null') <> 'object'
				  AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => :lease))
				RETURNING id
				""")
			.param("node", this.nodeId)
			.param("itemId", event.itemId())
			.param("id", event.id())
			.param("lease", this.properties.claimLease().toMillis() / 1000.0)
			.query(UUID.class)
			.list();
	}

	/**
	 * A redelivery of an event that launches no sync: the item's previous event (within
	 * the window) has the same body and did not fail. A different event in between (say,
	 * LOGIN_REPAIRED between two ERRORs) makes a repeated body a new fact, not a
	 * duplicate. Sync webhooks never take this shortcut: a quiet portfolio sends the same
	 * body day after day, and each must be followed by a fetch that starts after it; the
	 * launcher merges it only into a run that has not started yet.
	 */
	private Optional<UUID> duplicateOf(ClaimedEvent event) {
		return this.jdbc.sql("""
				SELECT id, body_sha256, status FROM plaid_webhook_events
				WHERE item_id = :itemId AND (created_at, id) < (:createdAt, :id)
				  AND created_at > CAST(:createdAt AS timestamptz) - make_interval(secs => :window)
				ORDER BY created_at DESC, id DESC
				LIMIT 1
				""")
			.param("itemId", event.itemId())
			.param("createdAt", event.createdAt())
			.param("id", event.id())
			.param("window", (double) this.properties.duplicateWindow().toSeconds())
			.query((row,
					number) -> event.bodySha256().equals(row.getString("body_sha256"))
							&& !"FAILED".equals(row.getString("status")) ? row.getObject("id", UUID.class) : null)
			.optional();
	}

	private void record(UUID eventId, Outcome outcome) {
		if (this.jdbc.sql("""
				UPDATE plaid_webhook_events SET status = CAST(:status AS text), status_reason = CAST(:reason AS text),
				    job_execution_id = CAST(:executionId AS bigint), sync_request_id = CAST(:requestId AS bigint),
				    next_attempt_at = NULL,
				    success = CASE WHEN CAST(:status AS text) IN ('DONE', 'FAILED') THEN CAST(:success AS boolean) END,
				    error_message = CAST(:error AS text),
				    processed_at = CASE WHEN CAST(:status AS text) IN ('DONE', 'FAILED') THEN now() END,
				    processing_duration_ms = CASE WHEN CAST(:status AS text) IN ('DONE', 'FAILED')
				        THEN LEAST(2147483647, extract(epoch FROM now() - created_at) * 1000)::int END
				WHERE id = :id AND status = 'RECEIVED' AND claimed_by = :node
				""")
			.param("status", outcome.status())
			.param("reason", outcome.reason())
			.param("executionId", outcome.jobExecutionId())
			.param("requestId", outcome.syncRequestId())
			.param("success", outcome.success())
			.param("error", outcome.error())
			.param("id", eventId)
			.param("node", this.nodeId)
			.update() == 1 && ("DONE".equals(outcome.status()) || "FAILED".equals(outcome.status()))) {
			this.metrics.processed(outcome.status(), 1);
		}
	}

	private void release(UUID eventId, String error) {
		try {
			this.jdbc
				.sql("""
						UPDATE plaid_webhook_events SET claimed_by = NULL, claimed_at = NULL, error_message = CAST(:error AS text)
						WHERE id = :id AND status = 'RECEIVED' AND claimed_by = :node
						""")
				.param("error", error)
				.param("id", eventId)
				.param("node", this.nodeId)
				.update();
		}
		catch (RuntimeException ex) {
			log.debug("Could not release webhook event {}; its lease will expire: {}", eventId, ex.toString());
		}
	}

	private ScheduledThreadPoolExecutor lane(String itemId) {
		return this.lanes.get(Math.floorMod(itemId.hashCode(), this.lanes.size()));
	}

	private static ClaimedEvent claimedEvent(java.sql.ResultSet row, int number) throws java.sql.SQLException {
		return new ClaimedEvent(row.getObject(1, UUID.class), row.getString(2), row.getObject(3, UUID.class),
				row.getString(4), row.getObject(5, OffsetDateTime.class), row.getInt(6), row.getString(7));
	}

	@Override
	public void destroy() {
		this.lanes.forEach(ScheduledThreadPoolExecutor::shutdownNow);
	}

}
