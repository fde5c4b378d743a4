package dev.plaidsync.items;

import org.springframework.modulith.NamedInterface;

/**
 * One account of an Item is being emptied, inside the revocation's transaction (the user
 * revoked the account, {@code USER_ACCOUNT_REVOKED}): modules that keep data of the
 * account (synced holdings and transactions) delete it in the same transaction, from a
 * synchronous listener. {@link ItemStatusChanges#accountRevoked} is its one publisher.
 */
@NamedInterface("events")
public record AccountErasure(String itemId, String accountId) {
}
