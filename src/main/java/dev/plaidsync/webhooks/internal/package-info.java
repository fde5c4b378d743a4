/**
 * The webhook intake's implementation: verification, the durable event log, and dispatch
 * to syncs and item status.
 */
@org.jspecify.annotations.NullMarked
package dev.plaidsync.webhooks.internal;
