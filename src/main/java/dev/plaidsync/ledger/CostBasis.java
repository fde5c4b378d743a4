package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Computes every position of a user from the stored investment transactions with {@link CostBasisCalculator}, and
 * compares it with what Plaid reports for the holding. Reads through the {@link JdbcClient} it is given, so a
 * caller in the user-scoped session keeps row-level security.
 */
@Component
public class CostBasis {

	private final LedgerProperties properties;

	CostBasis(LedgerProperties properties) {
		this.properties = properties;
	}

	/** The transactions window stored for one account: first and last transaction date, and the item's last sync. */
	public record Window(LocalDate from, LocalDate to, OffsetDateTime transactionsSyncedAt) {
	}

	/** A user's computed positions by account and security, and each account's window. */
	public record UserPositions(Map<String, PositionBasis> positions, Map<String, Window> windows) {

		public PositionBasis position(String accountId, String securityId) {
			return this.positions.get(accountId + "|" + securityId);
		}

	}

	/**
	 * How the computed basis compares with Plaid's for one holding.
	 * @param complete the transactions explain the whole holding: the same open quantity, nothing sold beyond what
	 * they opened, every cancel matched and every transfer in with a basis
	 * @param difference computed minus Plaid's, when both exist
	 * @param mismatch complete, and apart by more than the configured tolerance
	 */
	public record Comparison(boolean complete, BigDecimal difference, boolean mismatch) {
	}

	public UserPositions forUser(JdbcClient jdbc, UUID userId) {
		Map<String, List<LedgerTransaction>> byPosition = new HashMap<>();
		Map<String, Window> windows = new HashMap<>();
		jdbc.sql("""
				SELECT t.account_id, t.security_id, t.investment_transaction_id, t.date, t.type, t.subtype, t.quantity,
				       t.amount, t.price, t.fees
				FROM investment_transactions t
				WHERE t.user_id = :userId AND t.security_id IS NOT NULL
				ORDER BY t.account_id, t.security_id, t.date, t.investment_transaction_id
				""").param("userId", userId).query((row) -> {
			byPosition.computeIfAbsent(row.getString("account_id") + "|" + row.getString("security_id"),
					(key) -> new ArrayList<>())
				.add(new LedgerTransaction(row.getString("investment_transaction_id"),
						row.getObject("date", LocalDate.class), row.getString("type"), row.getString("subtype"),
						row.getBigDecimal("quantity"), row.getBigDecimal("amount"), row.getBigDecimal("price"),
						row.getBigDecimal("fees")));
		});
		jdbc.sql("""
				SELECT t.account_id, min(t.date) AS first_date, max(t.date) AS last_date, max(i.transactions_synced_at) AS synced_at
				FROM investment_transactions t JOIN plaid_items i ON i.item_id = t.item_id
				WHERE t.user_id = :userId AND i.user_id = :userId
				GROUP BY t.account_id
				""").param("userId", userId).query((row) -> {
			windows.put(row.getString("account_id"), new Window(row.getObject("first_date", LocalDate.class),
					row.getObject("last_date", LocalDate.class), row.getObject("synced_at", OffsetDateTime.class)));
		});
		Map<String, PositionBasis> positions = new HashMap<>();
		byPosition.forEach((key, transactions) -> positions.put(key, CostBasisCalculator.basis(transactions)));
		return new UserPositions(positions, windows);
	}

	public Comparison compare(PositionBasis computed, BigDecimal holdingQuantity, BigDecimal plaidCostBasis) {
		boolean complete = computed.unexplainedQuantity().signum() == 0 && computed.unmatchedCancels() == 0
				&& computed.transfersWithoutBasis() == 0 && holdingQuantity != null
				&& computed.openQuantity().subtract(holdingQuantity).abs().compareTo(this.properties.quantityTolerance()) <= 0;
		BigDecimal difference = (plaidCostBasis != null) ? computed.costBasis().subtract(plaidCostBasis) : null;
		boolean mismatch = complete && difference != null && difference.abs().compareTo(this.properties.costBasisTolerance()) > 0
				&& difference.abs().compareTo(plaidCostBasis.abs().multiply(this.properties.costBasisToleranceRatio())) > 0;
		return new Comparison(complete, difference, mismatch);
	}

}
