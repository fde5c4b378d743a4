package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.plaidsync.ledger.CostBasis;
import dev.plaidsync.ledger.PositionBasis;

import org.springframework.stereotype.Component;

/**
 * Puts the cost basis computed from the user's transactions beside Plaid's on every holding of a portfolio summary:
 * {@code computed_cost_basis} (amount, source, window, open quantity, average cost, realized gain, and whether the
 * transactions explain the whole holding), {@code cost_basis_difference} and {@code cost_basis_mismatch}.
 */
@Component
class ComputedCostBasis {

	private final CostBasis costBasis;

	ComputedCostBasis(CostBasis costBasis) {
		this.costBasis = costBasis;
	}

	@SuppressWarnings("unchecked")
	Map<String, Object> annotate(Map<String, Object> summary, CostBasis.UserPositions positions) {
		for (Map<String, Object> account : (List<Map<String, Object>>) summary.get("accounts")) {
			String accountId = (String) account.get("account_id");
			for (Map<String, Object> holding : (List<Map<String, Object>>) account.get("holdings")) {
				holding.put("cost_basis_source", (holding.get("cost_basis") != null) ? "plaid" : null);
				PositionBasis computed = positions.position(accountId, (String) holding.get("security_id"));
				if (computed == null || "cash".equals(holding.get("type"))) {
					holding.put("computed_cost_basis", null);
					holding.put("cost_basis_difference", null);
					holding.put("cost_basis_mismatch", false);
					continue;
				}
				String currency = (String) ((Map<String, Object>) holding.get("institution_value")).get("currency");
				Map<String, Object> plaid = (Map<String, Object>) holding.get("cost_basis");
				BigDecimal plaidAmount = (plaid != null) ? new BigDecimal((String) plaid.get("amount")) : null;
				CostBasis.Comparison comparison = this.costBasis.compare(computed,
						new BigDecimal((String) holding.get("quantity")), plaidAmount);
				CostBasis.Window window = positions.windows().get(accountId);
				Map<String, Object> view = new LinkedHashMap<>();
				view.put("amount", PortfolioSummaries.plain(computed.costBasis()));
				view.put("currency", currency);
				view.put("source", "transactions");
				view.put("method", "average_cost");
				view.put("complete", comparison.complete());
				Map<String, Object> windowView = new LinkedHashMap<>();
				windowView.put("from", (window != null) ? String.valueOf(window.from()) : null);
				windowView.put("to", (window != null) ? String.valueOf(window.to()) : null);
				windowView.put("transactions_synced_at",
						(window != null) ? PortfolioSummaries.time(window.transactionsSyncedAt()) : null);
				view.put("window", windowView);
				view.put("open_quantity", PortfolioSummaries.plain(computed.openQuantity()));
				view.put("average_cost", PortfolioSummaries.money(computed.averageCost(), currency));
				view.put("realized_gain", PortfolioSummaries.money(computed.realizedGain(), currency));
				view.put("unexplained_quantity", PortfolioSummaries.plain(computed.unexplainedQuantity()));
				view.put("unmatched_cancels", computed.unmatchedCancels());
				holding.put("computed_cost_basis", view);
				holding.put("cost_basis_difference", PortfolioSummaries.money(comparison.difference(), currency));
				holding.put("cost_basis_mismatch", comparison.mismatch());
			}
		}
		return summary;
	}

}
