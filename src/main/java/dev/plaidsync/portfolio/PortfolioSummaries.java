package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;

import org.springframework.stereotype.Component;

/**
 * Computes a user's portfolio from the stored data, in the user-scoped session (plus an owner filter on every query):
 * <ul>
 * <li>total value per currency: the sum of {@code institution_value} over the holdings of active investment accounts
 * (never quantity × price), with those accounts' {@code balances.current} beside it for comparison;</li>
 * <li>cash: holdings whose security type is {@code cash} (never {@code balances.available} on top);</li>
 * <li>cost basis and unrealized gain over holdings with a non-null cost basis only;</li>
 * <li>items ACTIVE or NEEDS_USER count (a broken login shows its last data, with its as-of); revoked and removed do
 * not.</li>
 * </ul>
 * Amounts are decimal strings with their currency code; an amount whose currency Plaid did not give is totalled
 * apart under {@code UNKNOWN}, never added to another currency's.
 */
@Component
class PortfolioSummaries {

	private final UserScopedSession session;

	private final ComputedCostBasis computedCostBasis;

	private final dev.plaidsync.ledger.CostBasis costBasis;

	PortfolioSummaries(UserScopedSession session, ComputedCostBasis computedCostBasis, dev.plaidsync.ledger.CostBasis costBasis) {
		this.session = session;
		this.computedCostBasis = computedCostBasis;
		this.costBasis = costBasis;
	}

	Map<String, Object> summary(UUID userId) {
		return this.session.read(userId, (jdbc) -> {
			List<Map<String, Object>> items = jdbc.sql("""
					SELECT item_id, institution_id, institution_name, status, is_investments_fallback_item, holdings_as_of,
					       holdings_synced_at
					FROM plaid_items WHERE user_id = :userId AND status IN ('ACTIVE', 'NEEDS_USER') ORDER BY created_at, id
					""").param("userId", userId).query().listOfRows();
			List<Map<String, Object>> accounts = jdbc.sql("""
					SELECT a.account_id, a.item_id, a.name, a.official_name, a.mask, a.subtype, a.balance_current,
					       a.balance_available, coalesce(a.iso_currency_code, a.unofficial_currency_code, 'UNKNOWN') AS currency,
					       a.last_synced, a.holdings_suspect
					FROM user_investment_accounts a JOIN plaid_items i ON i.item_id = a.item_id
					WHERE a.user_id = :userId AND i.user_id = :userId AND a.is_active AND a.type = 'investment'
					AND i.status IN ('ACTIVE', 'NEEDS_USER')
					ORDER BY i.created_at, i.id, a.name, a.account_id
					""").param("userId", userId).query().listOfRows();
			List<Map<String, Object>> holdings = jdbc.sql("""
					SELECT h.account_id, h.security_id, h.quantity, h.institution_price, h.institution_price_as_of,
					       h.institution_value, h.cost_basis, coalesce(h.iso_currency_code, h.unofficial_currency_code, 'UNKNOWN') AS currency,
					       s.ticker_symbol, s.name, s.type, s.subtype, i.is_investments_fallback_item
					FROM holdings h
					JOIN user_investment_accounts a ON a.account_id = h.account_id
					JOIN plaid_items i ON i.item_id = h.item_id
					LEFT JOIN securities s ON s.security_id = h.security_id
					WHERE h.user_id = :userId AND a.user_id = :userId AND a.is_active AND a.type = 'investment'
					AND i.status IN ('ACTIVE', 'NEEDS_USER')
					ORDER BY h.account_id, h.institution_value DESC, h.security_id
					""").param("userId", userId).query().listOfRows();
			return this.computedCostBasis.annotate(summarise(items, accounts, holdings), this.costBasis.forUser(jdbc, userId));
		});
	}

	private static Map<String, Object> summarise(List<Map<String, Object>> items, List<Map<String, Object>> accounts,
			List<Map<String, Object>> holdings) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("totals", totalsByCurrency(holdings, accounts));
		summary.put("accounts", accountViews(accounts, holdings));
		summary.put("items", itemViews(items));
		summary.put("generated_at", Instant.now().toString());
		return summary;
	}

	/** Per currency: value, cash and cost basis over the holdings, and the accounts' balances.current beside them. */
	private static List<Map<String, Object>> totalsByCurrency(List<Map<String, Object>> holdings,
			List<Map<String, Object>> accounts) {
		Map<String, Totals> totals = new TreeMap<>();
		for (Map<String, Object> holding : holdings) {
			BigDecimal value = (holding.get("institution_value") != null) ? (BigDecimal) holding.get("institution_value")
					: BigDecimal.ZERO;
			BigDecimal costBasis = (BigDecimal) holding.get("cost_basis");
			Totals total = totals.computeIfAbsent((String) holding.get("currency"), (key) -> new Totals());
			total.value = total.value.add(value);
			if ("cash".equals(holding.get("type"))) {
				total.cash = total.cash.add(value);
			}
			if (costBasis != null) {
				total.costBasis = total.costBasis.add(costBasis);
				total.valueWithCostBasis = total.valueWithCostBasis.add(value);
			}
			else {
				total.holdingsWithoutCostBasis++;
			}
		}
		for (Map<String, Object> account : accounts) {
			BigDecimal current = (BigDecimal) account.get("balance_current");
			if (current != null) {
				Totals total = totals.computeIfAbsent((String) account.get("currency"), (key) -> new Totals());
				total.balancesCurrent = total.balancesCurrent.add(current);
			}
		}
		List<Map<String, Object>> totalViews = new ArrayList<>();
		totals.forEach((currency, total) -> totalViews.add(total.view(currency)));
		return totalViews;
	}

	/** Each account with its holdings and its holdings' value per currency. */
	private static List<Map<String, Object>> accountViews(List<Map<String, Object>> accounts,
			List<Map<String, Object>> holdings) {
		Map<String, List<Map<String, Object>>> holdingsByAccount = new LinkedHashMap<>();
		Map<String, BigDecimal> valueByAccount = new LinkedHashMap<>();
		for (Map<String, Object> holding : holdings) {
			BigDecimal value = (holding.get("institution_value") != null) ? (BigDecimal) holding.get("institution_value")
					: BigDecimal.ZERO;
			String accountId = (String) holding.get("account_id");
			valueByAccount.merge(accountId + "|" + holding.get("currency"), value, BigDecimal::add);
			holdingsByAccount.computeIfAbsent(accountId, (key) -> new ArrayList<>()).add(holdingView(holding));
		}
		List<Map<String, Object>> accountViews = new ArrayList<>();
		for (Map<String, Object> account : accounts) {
			String accountId = (String) account.get("account_id");
			String currency = (String) account.get("currency");
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("account_id", accountId);
			view.put("item_id", account.get("item_id"));
			view.put("name", account.get("name"));
			view.put("official_name", account.get("official_name"));
			view.put("mask", account.get("mask"));
			view.put("subtype", account.get("subtype"));
			view.put("currency", currency);
			List<Map<String, Object>> values = new ArrayList<>();
			valueByAccount.forEach((key, value) -> {
				if (key.startsWith(accountId + "|")) {
					values.add(money(value, key.substring(accountId.length() + 1)));
				}
			});
			view.put("total_value", values);
			view.put("balances_current", money((BigDecimal) account.get("balance_current"), currency));
			view.put("balances_available", money((BigDecimal) account.get("balance_available"), currency));
			view.put("last_synced", time(account.get("last_synced")));
			view.put("holdings_suspect", account.get("holdings_suspect"));
			view.put("holdings", holdingsByAccount.getOrDefault(accountId, List.of()));
			accountViews.add(view);
		}
		return accountViews;
	}

	/** The items that count, with when their data is from. */
	private static List<Map<String, Object>> itemViews(List<Map<String, Object>> items) {
		List<Map<String, Object>> itemViews = new ArrayList<>();
		for (Map<String, Object> item : items) {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("item_id", item.get("item_id"));
			view.put("institution_id", item.get("institution_id"));
			view.put("institution_name", item.get("institution_name"));
			view.put("status", item.get("status"));
			view.put("manually_entered", item.get("is_investments_fallback_item"));
			Object asOf = (item.get("holdings_as_of") != null) ? item.get("holdings_as_of") : item.get("holdings_synced_at");
			view.put("as_of", time(asOf));
			view.put("synced_at", time(item.get("holdings_synced_at")));
			itemViews.add(view);
		}
		return itemViews;
	}

	private static Map<String, Object> holdingView(Map<String, Object> holding) {
		String currency = (String) holding.get("currency");
		BigDecimal value = (BigDecimal) holding.get("institution_value");
		BigDecimal costBasis = (BigDecimal) holding.get("cost_basis");
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("security_id", holding.get("security_id"));
		view.put("ticker", holding.get("ticker_symbol"));
		view.put("name", holding.get("name"));
		view.put("type", holding.get("type"));
		view.put("subtype", holding.get("subtype"));
		view.put("quantity", plain((BigDecimal) holding.get("quantity")));
		view.put("institution_price", money((BigDecimal) holding.get("institution_price"), currency));
		view.put("institution_price_as_of", time(holding.get("institution_price_as_of")));
		view.put("institution_value", money(value, currency));
		view.put("cost_basis", money(costBasis, currency));
		view.put("unrealized_gain", (costBasis != null && value != null) ? money(value.subtract(costBasis), currency) : null);
		view.put("manually_entered", holding.get("is_investments_fallback_item"));
		return view;
	}

	static Map<String, Object> money(BigDecimal amount, String currency) {
		if (amount == null) {
			return null;
		}
		Map<String, Object> money = new LinkedHashMap<>();
		money.put("amount", plain(amount));
		money.put("currency", currency);
		return money;
	}

	/** Timestamps as ISO instants and dates as ISO dates, whatever the driver returned. */
	static String time(Object value) {
		if (value instanceof java.sql.Timestamp timestamp) {
			return timestamp.toInstant().toString();
		}
		if (value instanceof java.sql.Date date) {
			return date.toLocalDate().toString();
		}
		if (value instanceof OffsetDateTime offsetDateTime) {
			return offsetDateTime.toInstant().toString();
		}
		return (value != null) ? value.toString() : null;
	}

	static String plain(BigDecimal value) {
		return (value != null) ? value.toPlainString() : null;
	}

	private static final class Totals {

		BigDecimal value = BigDecimal.ZERO;

		BigDecimal balancesCurrent = BigDecimal.ZERO;

		BigDecimal cash = BigDecimal.ZERO;

		BigDecimal costBasis = BigDecimal.ZERO;

		BigDecimal valueWithCostBasis = BigDecimal.ZERO;

		int holdingsWithoutCostBasis;

		Map<String, Object> view(String currency) {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("currency", currency);
			view.put("total_value", money(this.value, currency));
			view.put("balances_current", money(this.balancesCurrent, currency));
			view.put("cash", money(this.cash, currency));
			view.put("cost_basis", money(this.costBasis, currency));
			view.put("value_with_cost_basis", money(this.valueWithCostBasis, currency));
			view.put("unrealized_gain", money(this.valueWithCostBasis.subtract(this.costBasis), currency));
			view.put("holdings_without_cost_basis", this.holdingsWithoutCostBasis);
			return view;
		}

	}

}
