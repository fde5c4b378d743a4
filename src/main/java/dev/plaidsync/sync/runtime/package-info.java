/**
 * The one job runtime every sync and maintenance job runs on: launching and coalescing
 * requests ({@link dev.plaidsync.sync.runtime.CoalescingSyncLauncher}), waits for their
 * ends and the ends' records ({@link dev.plaidsync.sync.runtime.SyncRunEndings}),
 * execution ownership, the node heartbeat, orphan and stranded recovery, graceful
 * shutdown, progress, the item-failure log, the executors and the sync's properties.
 * Builds on nothing else in {@code sync} but its API.
 */
@org.jspecify.annotations.NullMarked
package dev.plaidsync.sync.runtime;
