package dev.plaidsync.portfolio;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plaidsync.ledger.CostBasis;
import dev.plaidsync.ledger.PositionBasis;
import dev.plaidsync.sync.StoredHoldings.StoredHolding;

import org.springframework.stereotype.Component;

/**
 * Puts the cost basis computed from the user's transactions beside Plaid's on every
 * holding of a portfolio summary: {@code computed_cost_basis} (amount, source, window,
 * open quantity, average cost, realized gain, basis carried out to another security,
 * amounts in other currencies, and whether the transactions explain the whole holding),
 * {@code cost_basis_difference} and {@code cost_basis_mismatch}.
 */
@Component
class ComputedCostBasis {

	private final CostBasis costBasis;

	ComputedCostBasis(CostBasis costBasis) {
		this.costBasis = costBasis;
	}

	/**
	 * What the holding's view shows beside Plaid's cost basis; nothing computed for cash
	 * or an unknown position.
	 */
	Beside beside(StoredHolding holding, CostBasis.UserPositions positions) {
		String source = (holding.costBasis() != null) ? "plaid" : null;
		PositionBasis computed = positions.position(holding.accountId(), holding.securityId(), holding.currency(),
				holding.type());
		if (computed == null || "cash".equals(holding.type())) {
			return new Beside(source, null, null, false);
		}
		String currency = holding.currency();
		CostBasis.Comparison comparison = this.costBasis.compare(computed, holding.quantity(), holding.costBasis());
		CostBasis.Window window = positions.windows().get(holding.accountId());
		TransactionWindow windowView = (window != null)
				? new TransactionWindow(String.valueOf(window.from()), String.valueOf(window.to()),
						PortfolioSummaries.time(window.transactionsSyncedAt()))
				: new TransactionWindow(null, null, null);
		TransactionCostBasis view = new TransactionCostBasis(Money.toMinorUnits(computed.costBasis(), currency),
				currency, "transactions", "average_cost", comparison.complete(), windowView,
				PortfolioSummaries.plain(computed.openQuantity()), Money.UnitPrice.of(computed.averageCost(), currency),
				Money.of(computed.realizedGain(), currency), PortfolioSummaries.plain(computed.unexplainedQuantity()),
				computed.unmatchedCancels(), Money.of(computed.basisCarriedOut(), currency), otherCurrencies(computed));
		return new Beside(source, view, Money.of(comparison.difference(), currency), comparison.mismatch());
	}

	/**
	 * @param source {@code plaid} where Plaid gave a cost basis
	 * @param computed the cost basis from the transactions, or null
	 * @param difference computed minus Plaid's, or null
	 * @param mismatch the two disagree beyond rounding
	 */
	record Beside(String source, TransactionCostBasis computed, Money difference, boolean mismatch) {
	}

	/**
	 * {@code computed_cost_basis}: average cost over the transactions in the account's
	 * synced window.
	 */
	record TransactionCostBasis(String amount, String currency, String source, String method, boolean complete,
			TransactionWindow window, @JsonProperty("open_quantity") String openQuantity,
			@JsonProperty("average_cost") Money.UnitPrice averageCost,
			@JsonProperty("realized_gain") Money realizedGain,
			@JsonProperty("unexplained_quantity") String unexplainedQuantity,
			@JsonProperty("unmatched_cancels") int unmatchedCancels,
			@JsonProperty("basis_carried_out") Money basisCarriedOut,
			@JsonProperty("other_currencies") List<OtherCurrency> otherCurrencies) {
	}

	/**
	 * Basis and realized gain the transactions hold in a currency other than the
	 * holding's, never added into it.
	 */
	record OtherCurrency(String currency, @JsonProperty("cost_basis") Money costBasis,
			@JsonProperty("realized_gain") Money realizedGain) {
	}

	private static List<OtherCurrency> otherCurrencies(PositionBasis computed) {
		List<OtherCurrency> others = new ArrayList<>();
		new TreeMap<>(computed.otherCurrencies()).forEach((currency, basis) -> others.add(new OtherCurrency(currency,
				Money.of(basis.costBasis(), currency), Money.of(basis.realizedGain(), currency))));
		return others;
	}

	/** The dates the account's transactions cover, and when they were synced. */
	record TransactionWindow(String from, String to,
			@JsonProperty("transactions_synced_at") String transactionsSyncedAt) {
	}

}
