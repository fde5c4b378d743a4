package dev.plaidsync.items;

/**
 * Where an Item stands. Only ACTIVE items are swept by schedules. BROKEN: Plaid answered
 * a permanent code for it (ITEM_NOT_FOUND, INVALID_ACCESS_TOKEN,
 * INSTITUTION_NO_LONGER_SUPPORTED); nothing calls Plaid for it until a person acts.
 */
enum ItemStatus {

	ACTIVE, NEEDS_USER, REVOKED, REMOVED, BROKEN

}
