/**
 * The sync jobs (holdings, transactions, balances), their readers and writers, the {@link dev.plaidsync.sync.SyncLauncher}
 * that coalesces requests across nodes, and the ShedLock'd schedules.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "common", "plaid", "items" })
package dev.plaidsync.sync;
