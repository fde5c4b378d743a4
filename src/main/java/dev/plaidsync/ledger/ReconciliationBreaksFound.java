package dev.plaidsync.ledger;

import java.util.List;
import java.util.UUID;

/**
 * A reconciliation found breaks in an account that were not there before. Published by
 * {@link Reconciliation}, its one publisher, in the transaction that stores them.
 *
 * @param breaks the new ones only (a break already known is not reported again)
 */
public record ReconciliationBreaksFound(UUID userId, String itemId, String accountId,
		List<Reconciliation.Break> breaks) {

	public ReconciliationBreaksFound {
		breaks = List.copyOf(breaks);
	}

}
