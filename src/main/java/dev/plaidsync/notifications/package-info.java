/**
 * What the engine tells the app's backend: every change a client cares about (portfolio
 * updated, item status changed, item removed, user deleted, sync failed, reconciliation
 * break) is written to a durable per-user event sequence, the outbox
 * ({@code notification_events}), in the transaction that makes the change, then delivered
 * at least once, in order per user, to {@code PLAIDSYNC_EVENTS_WEBHOOK_URL}, signed as
 * Standard Webhooks specify, by a worker of its own that never holds a database
 * connection during the call. The public face is
 * {@link dev.plaidsync.notifications.NotificationDeliveries}: the deliveries and their
 * replay, for operators.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "common", "items :: events", "sync", "ledger" })
@org.jspecify.annotations.NullMarked
package dev.plaidsync.notifications;
