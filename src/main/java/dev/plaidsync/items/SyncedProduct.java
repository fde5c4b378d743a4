package dev.plaidsync.items;

import java.util.Arrays;

import org.springframework.modulith.NamedInterface;

/**
 * A product whose sync is marked on each item: when the snapshot last written for it had
 * been fetched. The marker is a column of the view {@code item_sync_state} (V24), which
 * {@code items} defines for the sync readers.
 */
@NamedInterface("sync")
public enum SyncedProduct {

	HOLDINGS("holdings_synced_at"), TRANSACTIONS("transactions_synced_at"), BALANCES("balances_synced_at");

	private final String syncedAtColumn;

	SyncedProduct(String syncedAtColumn) {
		this.syncedAtColumn = syncedAtColumn;
	}

	/**
	 * The column of {@code item_sync_state} that holds when this product was last synced
	 * for the item.
	 */
	public String syncedAtColumn() {
		return this.syncedAtColumn;
	}

	/** The product whose marker is that column of {@code item_sync_state}. */
	public static SyncedProduct ofSyncedAtColumn(String column) {
		return Arrays.stream(values())
			.filter((product) -> product.syncedAtColumn.equals(column))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No product is marked in column " + column));
	}

}
