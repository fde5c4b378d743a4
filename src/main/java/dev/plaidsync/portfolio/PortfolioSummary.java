package dev.plaidsync.portfolio;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code GET /api/portfolio}: the totals per currency, each account with its holdings,
 * and the items that count, as {@link PortfolioSummaries} computes them.
 */
record PortfolioSummary(List<CurrencyTotals> totals, List<AccountHoldings> accounts, List<ItemAsOf> items,
		@JsonProperty("generated_at") String generatedAt) {

	/**
	 * Value, cash and cost basis over one currency's holdings, and the accounts'
	 * balances.current beside them.
	 */
	record CurrencyTotals(String currency, @JsonProperty("total_value") Money totalValue,
			@JsonProperty("balances_current") Money balancesCurrent, Money cash,
			@JsonProperty("cost_basis") Money costBasis,
			@JsonProperty("value_with_cost_basis") Money valueWithCostBasis,
			@JsonProperty("unrealized_gain") Money unrealizedGain,
			@JsonProperty("holdings_without_cost_basis") int holdingsWithoutCostBasis) {
	}

	/**
	 * An active investment account, its holdings' value per currency and its holdings.
	 */
	record AccountHoldings(@JsonProperty("account_id") String accountId, @JsonProperty("item_id") String itemId,
			String name, @JsonProperty("official_name") String officialName, String mask, String subtype,
			String currency, @JsonProperty("total_value") List<Money> totalValue,
			@JsonProperty("balances_current") Money balancesCurrent,
			@JsonProperty("balances_available") Money balancesAvailable, @JsonProperty("last_synced") String lastSynced,
			@JsonProperty("holdings_suspect") boolean holdingsSuspect, List<Holding> holdings) {
	}

	/**
	 * A holding as Plaid reported it, with the cost basis computed from the user's
	 * transactions beside Plaid's.
	 */
	record Holding(@JsonProperty("security_id") String securityId, String ticker, String name, String type,
			String subtype, String quantity, @JsonProperty("institution_price") Money.UnitPrice institutionPrice,
			@JsonProperty("institution_price_as_of") String institutionPriceAsOf,
			@JsonProperty("institution_price_datetime") String institutionPriceDatetime,
			@JsonProperty("institution_value") Money institutionValue, @JsonProperty("cost_basis") Money costBasis,
			@JsonProperty("unrealized_gain") Money unrealizedGain,
			@JsonProperty("manually_entered") boolean manuallyEntered,
			@JsonProperty("cost_basis_source") String costBasisSource,
			@JsonProperty("computed_cost_basis") ComputedCostBasis.TransactionCostBasis computedCostBasis,
			@JsonProperty("cost_basis_difference") Money costBasisDifference,
			@JsonProperty("cost_basis_mismatch") boolean costBasisMismatch, Security security) {
	}

	/**
	 * What Plaid sent about the holding's security beyond its name and type; each null
	 * where Plaid sent none.
	 */
	record Security(@JsonProperty("option_contract") OptionContract optionContract,
			@JsonProperty("fixed_income") FixedIncome fixedIncome, String sector, String industry,
			@JsonProperty("proxy_security_id") String proxySecurityId,
			@JsonProperty("institution_security_id") String institutionSecurityId,
			@JsonProperty("update_datetime") String updateDatetime) {
	}

	/** An option's contract; the strike is a price of one unit of the underlying. */
	record OptionContract(@JsonProperty("contract_type") String contractType,
			@JsonProperty("expiration_date") String expirationDate,
			@JsonProperty("strike_price") Money.UnitPrice strikePrice,
			@JsonProperty("underlying_security_ticker") String underlyingSecurityTicker) {
	}

	/**
	 * A bond's terms: the yield as a percentage (a decimal string), the face value paid
	 * at maturity per unit.
	 */
	record FixedIncome(@JsonProperty("yield_rate") YieldRate yieldRate,
			@JsonProperty("maturity_date") String maturityDate, @JsonProperty("issue_date") String issueDate,
			@JsonProperty("face_value") Money.UnitPrice faceValue) {
	}

	/** {@code percentage}: 4.25 for 4.25%. */
	record YieldRate(String percentage, String type) {
	}

	/** An item that counts (ACTIVE or NEEDS_USER), with when its data is from. */
	record ItemAsOf(@JsonProperty("item_id") String itemId, @JsonProperty("institution_id") String institutionId,
			@JsonProperty("institution_name") String institutionName, String status,
			@JsonProperty("manually_entered") boolean manuallyEntered, @JsonProperty("as_of") String asOf,
			@JsonProperty("synced_at") String syncedAt) {
	}

}
