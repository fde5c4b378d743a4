package dev.plaidsync.webhooks.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The inbox's two sweeps, on every node: claim events left RECEIVED, and end LAUNCHED events whose execution has
 * ended (DONE when it COMPLETED, FAILED otherwise, with its exit message). Both are safe to run on many nodes at
 * once.
 */
@Component
class WebhookInbox implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(WebhookInbox.class);

	private final WebhookDispatcher dispatcher;

	private final JdbcClient jdbc;

	private final WebhookProperties.Dispatch properties;

	WebhookInbox(WebhookDispatcher dispatcher, JdbcClient jdbc, WebhookProperties properties) {
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
				""").update();
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
