package dev.plaidsync.sync;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Which items a run covers: every ACTIVE item, one user's, or one item. It is an
 * identifying job parameter, with the slot.
 */
public record SyncScope(Kind kind, @Nullable String value) {

	public enum Kind {

		ALL, USER, ITEM

	}

	public static SyncScope all() {
		return new SyncScope(Kind.ALL, null);
	}

	public static SyncScope user(UUID userId) {
		return new SyncScope(Kind.USER, userId.toString());
	}

	public static SyncScope item(String itemId) {
		return new SyncScope(Kind.ITEM, itemId);
	}

	/**
	 * One key per scope, for coalescing requests: {@code ALL}, {@code USER:<uuid>} or
	 * {@code ITEM:<item_id>}.
	 */
	public String key() {
		return (this.kind == Kind.ALL) ? "ALL" : this.kind.name() + ":" + this.value;
	}

	public static SyncScope ofKey(String key) {
		if ("ALL".equals(key)) {
			return all();
		}
		int colon = key.indexOf(':');
		return new SyncScope(Kind.valueOf(key.substring(0, colon)), key.substring(colon + 1));
	}

}
