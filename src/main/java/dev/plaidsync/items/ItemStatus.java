package dev.plaidsync.items;

/** Where an Item stands. Only ACTIVE items are swept by schedules. */
public enum ItemStatus {

	ACTIVE, NEEDS_USER, REVOKED, REMOVED

}
