/**
 * The operator API and console under {@code /ops/}, orphan recovery, graceful shutdown of running jobs, retention,
 * and the operational metrics.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "common", "sync", "webhooks", "items" })
package dev.plaidsync.operations;
