package dev.plaidsync.webhooks.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The inbox's sweeps, on every node: claim events left RECEIVED (and those whose retry is
 * due); and end LAUNCHED events whose sync request's run has ended, should the node that
 * ran it have died before it ended them (see {@link WebhookOutcomes}). All are idempotent
 * and safe to run on many nodes at once.
 */
@Component
class WebhookInbox implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(WebhookInbox.class);

	private final WebhookDispatcher dispatcher;

	private final WebhookOutcomes outcomes;

	private final WebhookProperties.Dispatch properties;

	WebhookInbox(WebhookDispatcher dispatcher, WebhookOutcomes outcomes, WebhookProperties properties) {
		this.dispatcher = dispatcher;
		this.outcomes = outcomes;
		this.properties = properties.dispatch();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(() -> quietly("claim leftovers", () -> this.dispatcher.claimLeftovers()),
				this.properties.claimInterval());
		registrar.addFixedDelayTask(() -> quietly("end launched events", () -> endLaunchedEvents()),
				this.properties.completionCheckInterval());
	}

	/**
	 * @return how many LAUNCHED events ended or went back to RECEIVED
	 */
	int endLaunchedEvents() {
		return this.outcomes.sweep(this.properties.coalescedRecheckAfter());
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
