package dev.plaidsync.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.sync.InvestmentTransactions;
import dev.plaidsync.sync.InvestmentTransactions.SecurityTransaction;
import dev.plaidsync.sync.InvestmentTransactions.Span;
import dev.plaidsync.sync.SyncedAccounts;

import org.springframework.stereotype.Component;

/**
 * Computes every position of a user from the stored investment transactions with
 * {@link CostBasisCalculator}, and compares it with what Plaid reports for the holding.
 * Reads as the user, through {@code sync}'s query types.
 */
@Component
public class CostBasis {

	private final LedgerProperties properties;

	private final InvestmentTransactions transactions;

	private final SyncedAccounts accounts;

	CostBasis(LedgerProperties properties, InvestmentTransactions transactions, SyncedAccounts accounts) {
		this.properties = properties;
		this.transactions = transactions;
		this.accounts = accounts;
	}

	/**
	 * The transactions window stored for one account: first and last transaction date,
	 * and the item's last sync.
	 */
	public record Window(LocalDate from, LocalDate to, OffsetDateTime transactionsSyncedAt) {
	}

	/**
	 * A user's transactions by account and security, each account's window, and the
	 * positions they make.
	 */
	public record UserPositions(Map<String, List<LedgerTransaction>> transactions, Map<String, Window> windows) {

		/**
		 * The position in the holding's currency (amounts in others kept apart), an
		 * option's ({@code derivative}) units at the contract multiplier of 100 (Plaid's
		 * {@code option_contract} carries no multiplier); null without transactions.
		 */
		public PositionBasis position(String accountId, String securityId, String currency, String securityType) {
			List<LedgerTransaction> found = this.transactions.get(accountId + "|" + securityId);
			if (found == null) {
				return null;
			}
			BigDecimal multiplier = "derivative".equals(securityType) ? CostBasisCalculator.OPTION_MULTIPLIER
					: BigDecimal.ONE;
			return CostBasisCalculator.basis(found, currency, multiplier);
		}

	}

	/**
	 * How the computed basis compares with Plaid's for one holding.
	 *
	 * @param complete the transactions explain the whole holding: the same open quantity,
	 * nothing sold beyond what they opened, every cancel matched, no units in with an
	 * unknown basis and nothing in another currency
	 * @param difference computed minus Plaid's, when both exist
	 * @param mismatch complete, and apart by more than the configured tolerance
	 */
	public record Comparison(boolean complete, BigDecimal difference, boolean mismatch) {
	}

	/**
	 * The user's positions and windows, read as the user (row-level security) through
	 * {@code sync}'s query types; joins the caller's user-scoped read when there is one.
	 */
	public UserPositions forUser(UUID userId) {
		Map<String, List<LedgerTransaction>> byPosition = new HashMap<>();
		for (SecurityTransaction row : this.transactions.ofSecurities(userId)) {
			byPosition.computeIfAbsent(row.accountId() + "|" + row.securityId(), (key) -> new ArrayList<>())
				.add(new LedgerTransaction(row.investmentTransactionId(), row.date(), row.datetime(), row.type(),
						row.subtype(), row.quantity(), row.amount(), row.price(), row.fees(), row.currency()));
		}
		Map<String, OffsetDateTime> syncedAt = this.accounts.transactionsSyncedAt(userId);
		Map<String, Window> windows = new HashMap<>();
		for (Span span : this.transactions.spans(userId)) {
			if (!syncedAt.containsKey(span.itemId())) {
				continue;
			}
			OffsetDateTime synced = syncedAt.get(span.itemId());
			windows.merge(span.accountId(), new Window(span.first(), span.last(), synced), CostBasis::widest);
		}
		return new UserPositions(Map.copyOf(byPosition), windows);
	}

	/**
	 * One account's window over the items its transactions name: the earliest start, the
	 * latest end and sync.
	 */
	private static Window widest(Window one, Window other) {
		OffsetDateTime synced = (one.transactionsSyncedAt() == null) ? other.transactionsSyncedAt()
				: (other.transactionsSyncedAt() == null
						|| one.transactionsSyncedAt().isAfter(other.transactionsSyncedAt()))
								? one.transactionsSyncedAt() : other.transactionsSyncedAt();
		return new Window(one.from().isBefore(other.from()) ? one.from() : other.from(),
				one.to().isAfter(other.to()) ? one.to() : other.to(), synced);
	}

	public Comparison compare(PositionBasis computed, BigDecimal holdingQuantity, BigDecimal plaidCostBasis) {
		boolean complete = computed.basisKnown() && holdingQuantity != null
				&& computed.openQuantity()
					.subtract(holdingQuantity)
					.abs()
					.compareTo(this.properties.quantityTolerance()) <= 0;
		BigDecimal difference = (plaidCostBasis != null) ? computed.costBasis().subtract(plaidCostBasis) : null;
		boolean mismatch = complete && difference != null
				&& difference.abs().compareTo(this.properties.costBasisTolerance()) > 0 && difference.abs()
					.compareTo(plaidCostBasis.abs().multiply(this.properties.costBasisToleranceRatio())) > 0;
		return new Comparison(complete, difference, mismatch);
	}

}
