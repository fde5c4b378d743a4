package dev.plaidsync.webhooks.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The inbox's sweeps, on every node: claim events left RECEIVED; give coalesced events (LAUNCHED without an
 * execution) the first run of their job for their item that started after they arrived, or dispatch them again when
 * no such run exists nor waits; and end LAUNCHED events whose execution has ended (DONE when it COMPLETED, FAILED
 * otherwise, with its exit message). All are idempotent and safe to run on many nodes at once.
 */
@Component
class WebhookInbox implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(WebhookInbox.class);

	private final WebhookDispatcher dispatcher;

	private final JdbcClient jdbc;

	private final WebhookProperties.Dispatch properties;

	private final IntakeMetrics metrics;

	WebhookInbox(WebhookDispatcher dispatcher, JdbcClient jdbc, WebhookProperties properties, IntakeMetrics metrics) {
		this.metrics = metrics;
		this.dispatcher = dispatcher;
		this.jdbc = jdbc;
		this.properties = properties.dispatch();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(() -> quietly("claim leftovers", () -> this.dispatcher.claimLeftovers()),
				this.properties.claimInterval());
		registrar.addFixedDelayTask(() -> quietly("end launched events", () -> endLaunchedEvents()),
				this.properties.completionCheckInterval());
	}

	/** @return how many LAUNCHED events ended */
	int endLaunchedEvents() {
		this.jdbc.sql("""
				UPDATE plaid_webhook_events w SET job_execution_id = (
				    SELECT min(e.job_execution_id) FROM batch_job_execution e
				    JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
				    JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
				         AND p.parameter_name = 'itemId' AND p.parameter_value = w.item_id
				    WHERE i.job_name = CASE w.webhook_type WHEN 'HOLDINGS' THEN 'holdingsSyncJob' ELSE 'transactionsSyncJob' END
				      AND e.start_time >= CAST(w.created_at AS timestamp))
				WHERE w.status = 'LAUNCHED' AND w.job_execution_id IS NULL
				""").update();
		int lost = this.jdbc.sql("""
				UPDATE plaid_webhook_events w SET status = 'RECEIVED', claimed_by = NULL, claimed_at = NULL,
				    status_reason = 'the coalesced run was lost; dispatched again'
				WHERE w.status = 'LAUNCHED' AND w.job_execution_id IS NULL
				  AND w.created_at < now() - make_interval(secs => :after)
				  AND NOT EXISTS (SELECT 1 FROM sync_requests r WHERE r.scope_key = 'ITEM:' || w.item_id
				      AND r.job_name = CASE w.webhook_type WHEN 'HOLDINGS' THEN 'holdingsSyncJob' ELSE 'transactionsSyncJob' END)
				""").param("after", this.properties.coalescedRecheckAfter().toMillis() / 1000.0).update();
		if (lost > 0) {
			log.warn("{} coalesced webhook event(s) lost their run; dispatching them again", lost);
		}
		return this.jdbc.sql("""
				UPDATE plaid_webhook_events w SET
				    status = CASE WHEN e.status = 'COMPLETED' THEN 'DONE' ELSE 'FAILED' END,
				    success = (e.status = 'COMPLETED'),
				    error_message = CASE WHEN e.status <> 'COMPLETED'
				        THEN left(e.status || ': ' || coalesce(nullif(e.exit_message, ''), e.exit_code), 2000) END,
				    processed_at = now(),
				    processing_duration_ms = LEAST(2147483647, extract(epoch FROM now() - w.created_at) * 1000)::int
				FROM batch_job_execution e
				WHERE w.status = 'LAUNCHED' AND e.job_execution_id = w.job_execution_id
				  AND e.end_time IS NOT NULL AND e.status NOT IN ('STARTING', 'STARTED', 'STOPPING')
				RETURNING w.status
				""").query(String.class).list().stream().peek((status) -> this.metrics.processed(status, 1)).toList().size();
	}

	private static void quietly(String what, Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			log.warn("Webhook inbox could not {} now: {}", what, ex.getMessage());
		}
	}

}
