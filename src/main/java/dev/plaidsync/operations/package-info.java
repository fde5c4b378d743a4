/**
 * The operator API and console under {@code /ops/}, orphan recovery, graceful shutdown of running jobs, retention,
 * and the operational metrics.
 */
package dev.plaidsync.operations;
