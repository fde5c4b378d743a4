/**
 * The sync jobs (holdings, transactions, balances), their readers and writers, the {@link dev.plaidsync.sync.SyncLauncher}
 * that coalesces requests across nodes, and the ShedLock'd schedules; and the one job runtime every job runs on:
 * execution ownership and the node heartbeat, orphan recovery, stranded executions, graceful shutdown, progress
 * ({@link dev.plaidsync.sync.SyncProgress}), the item-failure log, the operators' item jobs
 * ({@link dev.plaidsync.sync.MaintenanceJobs}), and the query type operators read executions through
 * ({@link dev.plaidsync.sync.JobExecutions}).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "common", "plaid", "items" })
package dev.plaidsync.sync;
