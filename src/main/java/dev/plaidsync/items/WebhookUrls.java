package dev.plaidsync.items;

import dev.plaidsync.plaid.PlaidGateway;

import org.springframework.stereotype.Component;

/** The URL Plaid posts this deployment's webhooks to, and the job that points every active item at a new one. */
@Component
public class WebhookUrls {

	/** The job that calls /item/webhook/update for every active item, with the new URL as its {@code url} parameter. */
	public static final String UPDATE_JOB_NAME = "webhookUrlUpdateJob";

	private final PlaidGateway plaid;

	WebhookUrls(PlaidGateway plaid) {
		this.plaid = plaid;
	}

	/** {@code PLAID_WEBHOOK_URL}, or the URL the simulator mode derives. */
	public String configured() {
		return this.plaid.webhookUrl();
	}

}
