/**
 * The operator API and console under {@code /ops/}, the operator audit, the retention
 * schedule and the operational metrics. Executions, their owners and failed items are
 * read and purged through the job runtime's {@link dev.plaidsync.sync.JobExecutions},
 * webhook events through {@link dev.plaidsync.webhooks.WebhookEventLog}; orphan recovery
 * and graceful shutdown of running jobs are the runtime's, in {@code sync}.
 */
@org.springframework.modulith.ApplicationModule(
		allowedDependencies = { "common", "sync", "webhooks", "items :: operations", "items :: maintenance" })
@org.jspecify.annotations.NullMarked
package dev.plaidsync.operations;
