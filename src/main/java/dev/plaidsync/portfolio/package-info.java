/**
 * The user-facing API under {@code /api}: linking, repairing and removing brokerages, the
 * portfolio read model (summary, transactions, webhook events), force-sync, its cache and
 * live updates by server-sent events, with users' JWTs checked by Spring Security. Every
 * read runs in the user-scoped database session, so row-level security fences users as
 * well as the API's own ownership checks.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "common", "items :: users", "items :: events",
		"sync", "webhooks", "ledger", "notifications" })
@org.jspecify.annotations.NullMarked
package dev.plaidsync.portfolio;
