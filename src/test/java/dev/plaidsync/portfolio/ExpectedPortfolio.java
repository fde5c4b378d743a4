package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.simulator.SimSecurity;

/**
 * Totals computed independently from the simulator's own data, as docs/plaid.md defines
 * them: institution_value over investment accounts, cash by security type, cost basis
 * only where present.
 */
record ExpectedPortfolio(Map<String, BigDecimal> totalValue, Map<String, BigDecimal> cash,
		Map<String, BigDecimal> costBasis, Map<String, BigDecimal> unrealizedGain,
		Map<String, BigDecimal> balancesCurrent) {

	static ExpectedPortfolio of(SimItem... items) {
		Map<String, BigDecimal> total = new TreeMap<>();
		Map<String, BigDecimal> cash = new TreeMap<>();
		Map<String, BigDecimal> costBasis = new TreeMap<>();
		Map<String, BigDecimal> gain = new TreeMap<>();
		Map<String, BigDecimal> balances = new TreeMap<>();
		for (SimItem item : items) {
			Set<String> investment = item.accounts()
				.stream()
				.filter((account) -> "investment".equals(account.type()))
				.map(SimAccount::accountId)
				.collect(Collectors.toSet());
			Map<String, String> types = item.securities()
				.stream()
				.collect(Collectors.toMap(SimSecurity::securityId, SimSecurity::type, (a, b) -> a));
			for (SimHolding holding : item.holdings()) {
				if (!investment.contains(holding.accountId())) {
					continue;
				}
				String currency = (holding.isoCurrencyCode() != null) ? holding.isoCurrencyCode()
						: holding.unofficialCurrencyCode();
				total.merge(currency, holding.institutionValue(), BigDecimal::add);
				if ("cash".equals(types.get(holding.securityId()))) {
					cash.merge(currency, holding.institutionValue(), BigDecimal::add);
				}
				if (holding.costBasis() != null) {
					costBasis.merge(currency, holding.costBasis(), BigDecimal::add);
					gain.merge(currency, holding.institutionValue().subtract(holding.costBasis()), BigDecimal::add);
				}
			}
			for (SimAccount account : item.accounts()) {
				if (investment.contains(account.accountId()) && account.current() != null) {
					balances.merge(account.isoCurrencyCode(), account.current(), BigDecimal::add);
				}
			}
		}
		return new ExpectedPortfolio(total, cash, costBasis, gain, balances);
	}

}
