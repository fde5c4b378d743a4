/**
 * The sync jobs (holdings, transactions, balances), their readers and writers, the {@link dev.plaidsync.sync.SyncLauncher}
 * that coalesces requests across nodes, and the ShedLock'd schedules.
 */
package dev.plaidsync.sync;
