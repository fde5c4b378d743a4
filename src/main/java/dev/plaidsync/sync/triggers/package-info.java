/**
 * What starts syncs besides webhooks, users and operators: the ShedLock'd sweeps on the
 * wall clock ({@link dev.plaidsync.sync.triggers.SyncSchedules}), the first syncs of a
 * linked or repaired item, and the daily item check. Builds on {@code runtime}; nothing
 * builds on it.
 */
@org.jspecify.annotations.NullMarked
package dev.plaidsync.sync.triggers;
