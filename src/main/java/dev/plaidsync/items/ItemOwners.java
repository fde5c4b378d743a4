package dev.plaidsync.items;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * Which user an Item belongs to, for other modules (webhook replay), read as the engine.
 * Every item row counts, REMOVED ones too: a removed item keeps its owner until the user
 * is deleted. Read-only and thread-safe; joins the caller's transaction when there is
 * one.
 * <p>
 * Webhook intake, which stores each event in one statement on its own small pool, reads
 * the same through the view {@code item_owners} that items exports for it (migration
 * V25).
 */
@NamedInterface("status")
@Component
public class ItemOwners {

	private final JdbcClient jdbc;

	ItemOwners(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The item's owner, or empty when no item has this id. */
	public Optional<UUID> ownerOf(String itemId) {
		return this.jdbc.sql("SELECT user_id FROM plaid_items WHERE item_id = :itemId")
			.param("itemId", itemId)
			.query(UUID.class)
			.optional();
	}

}
