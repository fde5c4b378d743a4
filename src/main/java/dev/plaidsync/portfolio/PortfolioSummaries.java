package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.items.InvestmentAccounts;
import dev.plaidsync.items.InvestmentAccounts.PortfolioAccount;
import dev.plaidsync.items.LinkedItems;
import dev.plaidsync.items.LinkedItems.LinkedItem;
import dev.plaidsync.sync.StoredHoldings;
import dev.plaidsync.sync.StoredHoldings.StoredHolding;

import org.springframework.stereotype.Component;

/**
 * Computes a user's portfolio from the stored data, read through their owners' query types in one user-scoped
 * transaction (plus an owner filter on every query):
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

	private final LinkedItems linkedItems;

	private final InvestmentAccounts investmentAccounts;

	private final StoredHoldings storedHoldings;

	private final ComputedCostBasis computedCostBasis;

	private final dev.plaidsync.ledger.CostBasis costBasis;

	PortfolioSummaries(UserScopedSession session, LinkedItems linkedItems, InvestmentAccounts investmentAccounts,
			StoredHoldings storedHoldings, ComputedCostBasis computedCostBasis, dev.plaidsync.ledger.CostBasis costBasis) {
		this.session = session;
		this.linkedItems = linkedItems;
		this.investmentAccounts = investmentAccounts;
		this.storedHoldings = storedHoldings;
		this.computedCostBasis = computedCostBasis;
		this.costBasis = costBasis;
	}

	/** Reads the items, accounts, holdings and transactions in one user-scoped transaction, as before. */
	Map<String, Object> summary(UUID userId) {
		return this.session.read(userId, (jdbc) -> {
			List<LinkedItem> items = this.linkedItems.inPortfolio(userId);
			List<PortfolioAccount> accounts = this.investmentAccounts.inPortfolio(userId);
			Map<String, LinkedItem> itemsById = new HashMap<>();
			items.forEach((item) -> itemsById.put(item.itemId(), item));
			List<StoredHolding> holdings = this.storedHoldings.inAccounts(userId,
					accounts.stream().map(PortfolioAccount::accountId).toList(), itemsById.keySet());
			return this.computedCostBasis.annotate(summarise(items, accounts, holdings, itemsById),
					this.costBasis.forUser(userId));
		});
	}

	private static Map<String, Object> summarise(List<LinkedItem> items, List<PortfolioAccount> accounts,
			List<StoredHolding> holdings, Map<String, LinkedItem> itemsById) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("totals", totalsByCurrency(holdings, accounts));
		summary.put("accounts", accountViews(accounts, holdings, itemsById));
		summary.put("items", itemViews(items));
		summary.put("generated_at", Instant.now().toString());
		return summary;
	}

	/** Per currency: value, cash and cost basis over the holdings, and the accounts' balances.current beside them. */
	private static List<Map<String, Object>> totalsByCurrency(List<StoredHolding> holdings,
			List<PortfolioAccount> accounts) {
		Map<String, Totals> totals = new TreeMap<>();
		for (StoredHolding holding : holdings) {
			BigDecimal value = (holding.institutionValue() != null) ? holding.institutionValue() : BigDecimal.ZERO;
			BigDecimal costBasis = holding.costBasis();
			Totals total = totals.computeIfAbsent(holding.currency(), (key) -> new Totals());
			total.value = total.value.add(value);
			if ("cash".equals(holding.type())) {
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
		for (PortfolioAccount account : accounts) {
			BigDecimal current = account.balanceCurrent();
			if (current != null) {
				Totals total = totals.computeIfAbsent(account.currency(), (key) -> new Totals());
				total.balancesCurrent = total.balancesCurrent.add(current);
			}
		}
		List<Map<String, Object>> totalViews = new ArrayList<>();
		totals.forEach((currency, total) -> totalViews.add(total.view(currency)));
		return totalViews;
	}

	/** Each account with its holdings and its holdings' value per currency. */
	private static List<Map<String, Object>> accountViews(List<PortfolioAccount> accounts, List<StoredHolding> holdings,
			Map<String, LinkedItem> itemsById) {
		Map<String, List<Map<String, Object>>> holdingsByAccount = new LinkedHashMap<>();
		Map<String, BigDecimal> valueByAccount = new LinkedHashMap<>();
		for (StoredHolding holding : holdings) {
			BigDecimal value = (holding.institutionValue() != null) ? holding.institutionValue() : BigDecimal.ZERO;
			String accountId = holding.accountId();
			valueByAccount.merge(accountId + "|" + holding.currency(), value, BigDecimal::add);
			holdingsByAccount.computeIfAbsent(accountId, (key) -> new ArrayList<>())
				.add(holdingView(holding, itemsById.get(holding.itemId()).investmentsFallback()));
		}
		List<Map<String, Object>> accountViews = new ArrayList<>();
		for (PortfolioAccount account : accounts) {
			String accountId = account.accountId();
			String currency = account.currency();
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("account_id", accountId);
			view.put("item_id", account.itemId());
			view.put("name", account.name());
			view.put("official_name", account.officialName());
			view.put("mask", account.mask());
			view.put("subtype", account.subtype());
			view.put("currency", currency);
			List<Map<String, Object>> values = new ArrayList<>();
			valueByAccount.forEach((key, value) -> {
				if (key.startsWith(accountId + "|")) {
					values.add(money(value, key.substring(accountId.length() + 1)));
				}
			});
			view.put("total_value", values);
			view.put("balances_current", money(account.balanceCurrent(), currency));
			view.put("balances_available", money(account.balanceAvailable(), currency));
			view.put("last_synced", time(account.lastSynced()));
			view.put("holdings_suspect", account.holdingsSuspect());
			view.put("holdings", holdingsByAccount.getOrDefault(accountId, List.of()));
			accountViews.add(view);
		}
		return accountViews;
	}

	/** The items that count, with when their data is from. */
	private static List<Map<String, Object>> itemViews(List<LinkedItem> items) {
		List<Map<String, Object>> itemViews = new ArrayList<>();
		for (LinkedItem item : items) {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("item_id", item.itemId());
			view.put("institution_id", item.institutionId());
			view.put("institution_name", item.institutionName());
			view.put("status", item.status());
			view.put("manually_entered", item.investmentsFallback());
			Object asOf = (item.holdingsAsOf() != null) ? item.holdingsAsOf() : item.holdingsSyncedAt();
			view.put("as_of", time(asOf));
			view.put("synced_at", time(item.holdingsSyncedAt()));
			itemViews.add(view);
		}
		return itemViews;
	}

	private static Map<String, Object> holdingView(StoredHolding holding, boolean manuallyEntered) {
		String currency = holding.currency();
		BigDecimal value = holding.institutionValue();
		BigDecimal costBasis = holding.costBasis();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("security_id", holding.securityId());
		view.put("ticker", holding.tickerSymbol());
		view.put("name", holding.name());
		view.put("type", holding.type());
		view.put("subtype", holding.subtype());
		view.put("quantity", plain(holding.quantity()));
		view.put("institution_price", money(holding.institutionPrice(), currency));
		view.put("institution_price_as_of", time(holding.institutionPriceAsOf()));
		view.put("institution_value", money(value, currency));
		view.put("cost_basis", money(costBasis, currency));
		view.put("unrealized_gain", (costBasis != null && value != null) ? money(value.subtract(costBasis), currency) : null);
		view.put("manually_entered", manuallyEntered);
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
