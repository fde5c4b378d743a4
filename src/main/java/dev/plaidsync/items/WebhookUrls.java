package dev.plaidsync.items;

import dev.plaidsync.plaid.CallPriority;
import dev.plaidsync.plaid.ItemAccess;
import dev.plaidsync.plaid.PlaidGateway;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The URL Plaid posts this deployment's webhooks to, and the per-item work of pointing an
 * item at a new one (the job runtime's {@code webhookUrlUpdateJob} calls it for every
 * active item).
 */
@NamedInterface("maintenance")
@Component
public class WebhookUrls {

	private final PlaidGateway plaid;

	private final JdbcClient jdbc;

	WebhookUrls(PlaidGateway plaid, JdbcClient jdbc) {
		this.plaid = plaid;
		this.jdbc = jdbc;
	}

	/** {@code PLAID_WEBHOOK_URL}, or the URL the simulator mode derives. */
	public String configured() {
		return this.plaid.webhookUrl();
	}

	/**
	 * Asks Plaid to post the item's webhooks to {@code url} (/item/webhook/update), paced
	 * by the shared budget as a sweep. Outside any transaction; idempotent. Plaid
	 * confirms with ITEM/WEBHOOK_UPDATE_ACKNOWLEDGED at the new URL.
	 * @throws dev.plaidsync.plaid.PlaidFailure when Plaid refuses or cannot be reached
	 */
	public void pointAt(ItemAccess item, String url) {
		this.plaid.updateWebhook(item, url, CallPriority.SWEEP);
	}

	/**
	 * Records that Plaid now posts the item's webhooks to {@code url}, in the caller's
	 * transaction.
	 */
	public void stored(String itemId, String url) {
		this.jdbc.sql("UPDATE plaid_items SET webhook_url = :url, updated_at = now() WHERE item_id = :item")
			.param("url", url)
			.param("item", itemId)
			.update();
	}

}
