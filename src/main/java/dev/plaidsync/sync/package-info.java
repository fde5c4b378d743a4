/**
 * The sync jobs (holdings, transactions, balances) and the one job runtime every job runs
 * on. The root is the API other modules use: {@link dev.plaidsync.sync.SyncLauncher} to
 * ask for a run (coalesced across nodes) and {@link dev.plaidsync.sync.SyncRequests} to
 * hear how it ended, progress ({@link dev.plaidsync.sync.SyncProgress}), executions for
 * operators ({@link dev.plaidsync.sync.JobExecutions}), the operators' item jobs
 * ({@link dev.plaidsync.sync.MaintenanceJobs}) and follow-up runs
 * ({@link dev.plaidsync.sync.ItemRetries}), the stored data read back, and the events it
 * publishes. Inside, by concern: {@code runtime} (launching, ownership, heartbeat,
 * recovery, shutdown, run endings, progress, failure log), {@code pipeline} (readers,
 * fetch-ahead, the writers' base, skip policy, shared tables), {@code jobs} (one
 * configuration per job with its writer) and {@code triggers} (schedules, first syncs,
 * item check); {@code SyncLayeringTests} keeps their direction.
 */
@org.springframework.modulith.ApplicationModule(
		allowedDependencies = { "common", "plaid", "items :: sync", "items :: events", "items :: maintenance" })
@org.jspecify.annotations.NullMarked
package dev.plaidsync.sync;
