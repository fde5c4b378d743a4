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
import dev.plaidsync.items.LinkedItems.ItemSummary;
import dev.plaidsync.ledger.CostBasis;
import dev.plaidsync.portfolio.PortfolioSummary.AccountHoldings;
import dev.plaidsync.portfolio.PortfolioSummary.CurrencyTotals;
import dev.plaidsync.portfolio.PortfolioSummary.Holding;
import dev.plaidsync.portfolio.PortfolioSummary.ItemAsOf;
import dev.plaidsync.sync.StoredHoldings;
import dev.plaidsync.sync.StoredHoldings.StoredHolding;

import org.springframework.stereotype.Component;

/**
 * Computes a user's portfolio from the stored data, read through their owners' query
 * types in one user-scoped transaction (plus an owner filter on every query):
 * <ul>
 * <li>total value per currency: the sum of {@code institution_value} over the holdings of
 * active investment accounts (never quantity × price), with those accounts'
 * {@code balances.current} beside it for comparison;</li>
 * <li>cash: holdings whose security type is {@code cash} (never
 * {@code balances.available} on top);</li>
 * <li>cost basis and unrealized gain over holdings with a non-null cost basis only;</li>
 * <li>items ACTIVE or NEEDS_USER count (a broken login shows its last data, with its
 * as-of); revoked and removed do not.</li>
 * </ul>
 * Amounts are decimal strings with their currency code; an amount whose currency Plaid
 * did not give is totalled apart under {@code UNKNOWN}, never added to another
 * currency's.
 */
@Component
class PortfolioSummaries {

	private final UserScopedSession session;

	private final LinkedItems linkedItems;

	private final InvestmentAccounts investmentAccounts;

	private final StoredHoldings storedHoldings;

	private final ComputedCostBasis computedCostBasis;

	private final CostBasis costBasis;

	PortfolioSummaries(UserScopedSession session, LinkedItems linkedItems, InvestmentAccounts investmentAccounts,
			StoredHoldings storedHoldings, ComputedCostBasis computedCostBasis, CostBasis costBasis) {
		this.session = session;
		this.linkedItems = linkedItems;
		this.investmentAccounts = investmentAccounts;
		this.storedHoldings = storedHoldings;
		this.computedCostBasis = computedCostBasis;
		this.costBasis = costBasis;
	}

	/**
	 * Reads the items, accounts, holdings and transactions in one user-scoped
	 * transaction, as before.
	 */
	PortfolioSummary summary(UUID userId) {
		return this.session.read(userId, (jdbc) -> {
			List<ItemSummary> items = this.linkedItems.inPortfolio(userId);
			List<PortfolioAccount> accounts = this.investmentAccounts.inPortfolio(userId);
			Map<String, ItemSummary> itemsById = new HashMap<>();
			items.forEach((item) -> itemsById.put(item.itemId(), item));
			List<StoredHolding> holdings = this.storedHoldings.inAccounts(userId,
					accounts.stream().map(PortfolioAccount::accountId).toList(), itemsById.keySet());
			CostBasis.UserPositions positions = this.costBasis.forUser(userId);
			return new PortfolioSummary(totalsByCurrency(holdings, accounts),
					accountViews(accounts, holdings, itemsById, positions), itemViews(items), Instant.now().toString());
		});
	}

	/**
	 * Per currency: value, cash and cost basis over the holdings, and the accounts'
	 * balances.current beside them.
	 */
	private static List<CurrencyTotals> totalsByCurrency(List<StoredHolding> holdings,
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
		List<CurrencyTotals> totalViews = new ArrayList<>();
		totals.forEach((currency, total) -> totalViews.add(total.view(currency)));
		return totalViews;
	}

	/** Each account with its holdings and its holdings' value per currency. */
	private List<AccountHoldings> accountViews(List<PortfolioAccount> accounts, List<StoredHolding> holdings,
			Map<String, ItemSummary> itemsById, CostBasis.UserPositions positions) {
		Map<String, List<Holding>> holdingsByAccount = new LinkedHashMap<>();
		Map<String, BigDecimal> valueByAccount = new LinkedHashMap<>();
		for (StoredHolding holding : holdings) {
			BigDecimal value = (holding.institutionValue() != null) ? holding.institutionValue() : BigDecimal.ZERO;
			String accountId = holding.accountId();
			valueByAccount.merge(accountId + "|" + holding.currency(), value, BigDecimal::add);
			holdingsByAccount.computeIfAbsent(accountId, (key) -> new ArrayList<>())
				.add(holdingView(holding, itemsById.get(holding.itemId()).investmentsFallback(),
						this.computedCostBasis.beside(holding, positions)));
		}
		List<AccountHoldings> accountViews = new ArrayList<>();
		for (PortfolioAccount account : accounts) {
			String accountId = account.accountId();
			String currency = account.currency();
			List<Money> values = new ArrayList<>();
			valueByAccount.forEach((key, value) -> {
				if (key.startsWith(accountId + "|")) {
					values.add(Money.of(value, key.substring(accountId.length() + 1)));
				}
			});
			accountViews.add(new AccountHoldings(accountId, account.itemId(), account.name(), account.officialName(),
					account.mask(), account.subtype(), currency, values, Money.of(account.balanceCurrent(), currency),
					Money.of(account.balanceAvailable(), currency), time(account.lastSynced()),
					account.holdingsSuspect(), holdingsByAccount.getOrDefault(accountId, List.of())));
		}
		return accountViews;
	}

	/** The items that count, with when their data is from. */
	private static List<ItemAsOf> itemViews(List<ItemSummary> items) {
		List<ItemAsOf> itemViews = new ArrayList<>();
		for (ItemSummary item : items) {
			Object asOf = (item.holdingsAsOf() != null) ? item.holdingsAsOf() : item.holdingsSyncedAt();
			itemViews.add(new ItemAsOf(item.itemId(), item.institutionId(), item.institutionName(), item.status(),
					item.investmentsFallback(), time(asOf), time(item.holdingsSyncedAt())));
		}
		return itemViews;
	}

	private static Holding holdingView(StoredHolding holding, boolean manuallyEntered,
			ComputedCostBasis.Beside beside) {
		String currency = holding.currency();
		BigDecimal value = holding.institutionValue();
		BigDecimal costBasis = holding.costBasis();
		return new Holding(holding.securityId(), holding.tickerSymbol(), holding.name(), holding.type(),
				holding.subtype(), plain(holding.quantity()), Money.UnitPrice.of(holding.institutionPrice(), currency),
				time(holding.institutionPriceAsOf()), time(holding.institutionPriceDatetime()),
				Money.of(value, currency), Money.of(costBasis, currency),
				(costBasis != null && value != null) ? Money.of(value.subtract(costBasis), currency) : null,
				manuallyEntered, beside.source(), beside.computed(), beside.difference(), beside.mismatch(),
				securityView(holding.security(), currency));
	}

	private static PortfolioSummary.Security securityView(StoredHoldings.SecurityDetails details, String currency) {
		StoredHoldings.OptionContract option = details.option();
		StoredHoldings.FixedIncome bond = details.fixedIncome();
		return new PortfolioSummary.Security(
				(option != null)
						? new PortfolioSummary.OptionContract(option.contractType(), time(option.expirationDate()),
								Money.UnitPrice.of(option.strikePrice(), currency), option.underlyingTicker())
						: null,
				(bond != null) ? new PortfolioSummary.FixedIncome(
						(bond.yieldPercentage() != null || bond.yieldType() != null)
								? new PortfolioSummary.YieldRate(plain(bond.yieldPercentage()), bond.yieldType())
								: null,
						time(bond.maturityDate()), time(bond.issueDate()),
						Money.UnitPrice.of(bond.faceValue(), currency)) : null,
				details.sector(), details.industry(), details.proxySecurityId(), details.institutionSecurityId(),
				time(details.updateDatetime()));
	}

	/**
	 * Timestamps as ISO instants and dates as ISO dates, whatever the driver returned.
	 */
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

		CurrencyTotals view(String currency) {
			return new CurrencyTotals(currency, Money.of(this.value, currency),
					Money.of(this.balancesCurrent, currency), Money.of(this.cash, currency),
					Money.of(this.costBasis, currency), Money.of(this.valueWithCostBasis, currency),
					Money.of(this.valueWithCostBasis.subtract(this.costBasis), currency),
					this.holdingsWithoutCostBasis);
		}

	}

}
