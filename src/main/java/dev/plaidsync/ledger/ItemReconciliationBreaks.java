package dev.plaidsync.ledger;

import java.util.List;

import dev.plaidsync.common.ItemHistorySource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One item's reconciliation breaks, for the operators' item timeline: newest first
 * through {@code idx_reconciliation_breaks_item}. Read-only.
 */
@Component
class ItemReconciliationBreaks implements ItemHistorySource {

	private final JdbcClient jdbc;

	ItemReconciliationBreaks(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<Entry> newest(String itemId, int limit) {
		return this.jdbc.sql("""
				SELECT account_id, security_id, from_day, to_day, holdings_change, transactions_quantity, difference,
				       detected_at
				FROM reconciliation_breaks WHERE item_id = :itemId ORDER BY detected_at DESC LIMIT :limit
				""")
			.param("itemId", itemId)
			.param("limit", limit)
			.query((row, number) -> new Entry(row.getObject("detected_at", java.time.OffsetDateTime.class),
					"RECONCILIATION",
					"Holdings of " + row.getString("security_id") + " in " + row.getString("account_id")
							+ " moved without matching transactions",
					"BREAK",
					row.getObject("from_day") + " → " + row.getObject("to_day") + ": holdings "
							+ row.getBigDecimal("holdings_change") + ", transactions "
							+ row.getBigDecimal("transactions_quantity") + ", difference "
							+ row.getBigDecimal("difference")))
			.list();
	}

}
