package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One item's reconciliation breaks, for the operators' item timeline: newest first
 * through {@code idx_reconciliation_breaks_item}. Read-only.
 */
@Component
public class ItemReconciliationBreaks {

	private final JdbcClient jdbc;

	ItemReconciliationBreaks(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The item's newest {@code limit} breaks. */
	public List<ItemBreak> newest(String itemId, int limit) {
		return this.jdbc.sql("""
				SELECT account_id, security_id, from_day, to_day, holdings_change, transactions_quantity, difference,
				       detected_at
				FROM reconciliation_breaks WHERE item_id = :itemId ORDER BY detected_at DESC LIMIT :limit
				""").param("itemId", itemId).param("limit", limit).query(ItemBreak.class).list();
	}

	/**
	 * Holdings of {@code securityId} in the account moved by {@code holdingsChange}
	 * between the two days while its transactions say {@code transactionsQuantity}.
	 */
	public record ItemBreak(String accountId, String securityId, LocalDate fromDay, LocalDate toDay,
			BigDecimal holdingsChange, BigDecimal transactionsQuantity, BigDecimal difference,
			OffsetDateTime detectedAt) {
	}

}
