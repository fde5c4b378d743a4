/**
 * Plaid's webhooks: {@code POST /webhook/plaid} verifies each one as Plaid signs it
 * (ES256 JWT), stores it in {@code plaid_webhook_events} before answering 200, and
 * dispatches it afterwards to single-item syncs and item status changes. The event log is
 * the durable inbox: any node claims what a dead node left behind. The public face is
 * {@link dev.plaidsync.webhooks.WebhookEvents}, the event query for operators and users.
 */
@org.springframework.modulith.ApplicationModule(
		allowedDependencies = { "common", "plaid", "items :: status", "items :: events", "sync" })
@org.jspecify.annotations.NullMarked
package dev.plaidsync.webhooks;
