package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.ledger.CostBasis;
import dev.plaidsync.ledger.CostBasisCalculator;
import dev.plaidsync.ledger.LedgerTransaction;
import dev.plaidsync.ledger.PositionBasis;
import dev.plaidsync.sync.Securities;

import org.springframework.stereotype.Component;

/**
 * {@code GET /api/portfolio/realized?year=}: the gains the user's transactions realized
 * in a calendar year, by account and security, at average cost, closed positions included
 * (a position sold out has no holding, and still realized its gain). A position's
 * currency is its transactions' (the first that names one, else {@code UNKNOWN}); amounts
 * in another currency are left out, never added in.
 */
@Component
class RealizedGains {

	private final UserScopedSession session;

	private final CostBasis costBasis;

	private final Securities securities;

	RealizedGains(UserScopedSession session, CostBasis costBasis, Securities securities) {
		this.session = session;
		this.costBasis = costBasis;
		this.securities = securities;
	}

	Realized of(UUID userId, int year) {
		Map<String, List<LedgerTransaction>> positions = this.session.read(userId,
				(jdbc) -> this.costBasis.forUser(userId).transactions());
		Set<String> securityIds = new HashSet<>();
		positions.keySet().forEach((key) -> securityIds.add(key.substring(key.indexOf('|') + 1)));
		Map<String, String> types = this.securities.types(securityIds);
		Map<String, Securities.SecurityName> names = this.securities.names(securityIds);
		List<SecurityGain> gains = new ArrayList<>();
		Map<String, BigDecimal> totals = new TreeMap<>();
		for (Map.Entry<String, List<LedgerTransaction>> position : new TreeMap<>(positions).entrySet()) {
			String accountId = position.getKey().substring(0, position.getKey().indexOf('|'));
			String securityId = position.getKey().substring(position.getKey().indexOf('|') + 1);
			String type = types.get(securityId);
			if ("cash".equals(type)) {
				continue;
			}
			String currency = position.getValue()
				.stream()
				.map(LedgerTransaction::currency)
				.filter((code) -> code != null)
				.findFirst()
				.orElse("UNKNOWN");
			BigDecimal multiplier = "derivative".equals(type) ? BigDecimal.valueOf(100) : BigDecimal.ONE;
			BigDecimal realized = CostBasisCalculator.realizedByYear(position.getValue(), currency, multiplier)
				.get(year);
			if (realized == null) {
				continue;
			}
			PositionBasis now = CostBasisCalculator.basis(position.getValue(), currency, multiplier);
			Securities.SecurityName name = names.get(securityId);
			totals.merge(currency, realized, BigDecimal::add);
			gains.add(new SecurityGain(accountId, securityId, (name != null) ? name.tickerSymbol() : null,
					(name != null) ? name.name() : null, Money.of(realized, currency), now.openQuantity().signum() == 0,
					PortfolioSummaries.plain(now.openQuantity())));
		}
		List<Money> totalViews = new ArrayList<>();
		totals.forEach((currency, amount) -> totalViews.add(Money.of(amount, currency)));
		return new Realized(year, "average_cost", totalViews, gains);
	}

	/**
	 * The answer: the year's realized gain per currency, and per account and security.
	 */
	record Realized(int year, String method, @JsonProperty("realized_gain") List<Money> realizedGain,
			List<SecurityGain> securities) {
	}

	/**
	 * What one account's position in one security realized in the year; {@code closed}
	 * when no units are open now.
	 */
	record SecurityGain(@JsonProperty("account_id") String accountId, @JsonProperty("security_id") String securityId,
			String ticker, String name, @JsonProperty("realized_gain") Money realizedGain, boolean closed,
			@JsonProperty("open_quantity") String openQuantity) {
	}

}
