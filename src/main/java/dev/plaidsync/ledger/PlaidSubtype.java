package dev.plaidsync.ledger;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one table of the ledger: each of the 49 values of plaid-java 39.2.0's
 * {@code InvestmentTransactionSubtype} (48 subtypes and {@code ENUM_UNKNOWN}), with the
 * types Plaid sends it under and the {@link LedgerRule} each selects. A type not listed
 * for a subtype, and a subtype Plaid adds later, take the rule of the type alone
 * ({@link #ruleOf(String, String)}). docs/ledger.md shows the same table.
 */
public enum PlaidSubtype {

	ACCOUNT_FEE("account fee", Map.of("fee", LedgerRule.FEE, "cash", LedgerRule.FEE)),
	ADJUSTMENT("adjustment", Map.of("transfer", LedgerRule.TRANSFER, "fee", LedgerRule.FEE)),
	ASSIGNMENT("assignment",
			Map.of("transfer", LedgerRule.EXERCISE, "buy", LedgerRule.EXERCISE, "sell", LedgerRule.EXERCISE)),
	BUY("buy", Map.of("buy", LedgerRule.BUY)), BUY_TO_COVER("buy to cover", Map.of("buy", LedgerRule.BUY_TO_COVER)),
	CONTRIBUTION("contribution", Map.of("buy", LedgerRule.BUY, "cash", LedgerRule.CASH)),
	DEPOSIT("deposit", Map.of("cash", LedgerRule.CASH)),
	DISTRIBUTION("distribution",
			Map.of("sell", LedgerRule.DISTRIBUTION, "cash", LedgerRule.DISTRIBUTION, "transfer",
					LedgerRule.DISTRIBUTION)),
	DIVIDEND("dividend", Map.of("cash", LedgerRule.INCOME)),
	DIVIDEND_REINVESTMENT("dividend reinvestment", Map.of("buy", LedgerRule.REINVEST)),
	EXERCISE("exercise",
			Map.of("transfer", LedgerRule.EXERCISE, "sell", LedgerRule.EXERCISE, "buy", LedgerRule.EXERCISE)),
	EXPIRE("expire", Map.of("transfer", LedgerRule.EXPIRE)), FUND_FEE("fund fee", Map.of("fee", LedgerRule.FEE)),
	INTEREST("interest", Map.of("cash", LedgerRule.INCOME)),
	INTEREST_RECEIVABLE("interest receivable", Map.of("cash", LedgerRule.INCOME, "fee", LedgerRule.INCOME)),
	INTEREST_REINVESTMENT("interest reinvestment", Map.of("buy", LedgerRule.REINVEST)),
	LEGAL_FEE("legal fee", Map.of("fee", LedgerRule.FEE, "cash", LedgerRule.FEE)),
	LOAN_PAYMENT("loan payment", Map.of("cash", LedgerRule.CASH)),
	LONG_TERM_CAPITAL_GAIN("long-term capital gain", Map.of("cash", LedgerRule.INCOME)),
	LONG_TERM_CAPITAL_GAIN_REINVESTMENT("long-term capital gain reinvestment", Map.of("buy", LedgerRule.REINVEST)),
	MANAGEMENT_FEE("management fee", Map.of("fee", LedgerRule.FEE, "cash", LedgerRule.FEE)),
	MARGIN_EXPENSE("margin expense", Map.of("fee", LedgerRule.CASH, "cash", LedgerRule.CASH)),
	MERGER("merger", Map.of("transfer", LedgerRule.MERGER)),
	MISCELLANEOUS_FEE("miscellaneous fee", Map.of("fee", LedgerRule.FEE)),
	NON_QUALIFIED_DIVIDEND("non-qualified dividend", Map.of("cash", LedgerRule.INCOME)),
	NON_RESIDENT_TAX("non-resident tax", Map.of("fee", LedgerRule.CASH, "cash", LedgerRule.CASH)),
	PENDING_CREDIT("pending credit", Map.of("cash", LedgerRule.CASH)),
	PENDING_DEBIT("pending debit", Map.of("cash", LedgerRule.CASH)),
	QUALIFIED_DIVIDEND("qualified dividend", Map.of("cash", LedgerRule.INCOME)),
	REBALANCE("rebalance", Map.of("buy", LedgerRule.BUY, "sell", LedgerRule.SELL, "transfer", LedgerRule.TRANSFER)),
	RETURN_OF_PRINCIPAL("return of principal",
			Map.of("cash", LedgerRule.RETURN_OF_CAPITAL, "transfer", LedgerRule.RETURN_OF_CAPITAL, "sell",
					LedgerRule.RETURN_OF_CAPITAL)),
	REQUEST("request", Map.of("transfer", LedgerRule.TRANSFER)), SELL("sell", Map.of("sell", LedgerRule.SELL)),
	SELL_SHORT("sell short", Map.of("sell", LedgerRule.SELL_SHORT)),
	SEND("send", Map.of("transfer", LedgerRule.TRANSFER)),
	SHORT_TERM_CAPITAL_GAIN("short-term capital gain", Map.of("cash", LedgerRule.INCOME)),
	SHORT_TERM_CAPITAL_GAIN_REINVESTMENT("short-term capital gain reinvestment", Map.of("buy", LedgerRule.REINVEST)),
	SPIN_OFF("spin off", Map.of("transfer", LedgerRule.SPIN_OFF)), SPLIT("split", Map.of("transfer", LedgerRule.SPLIT)),
	STOCK_DISTRIBUTION("stock distribution",
			Map.of("cash", LedgerRule.STOCK_DISTRIBUTION, "transfer", LedgerRule.STOCK_DISTRIBUTION)),
	TAX("tax", Map.of("fee", LedgerRule.CASH, "cash", LedgerRule.CASH)),
	TAX_WITHHELD("tax withheld", Map.of("fee", LedgerRule.CASH, "cash", LedgerRule.CASH)),
	TRADE("trade", Map.of("transfer", LedgerRule.TRANSFER)),
	TRANSFER("transfer", Map.of("transfer", LedgerRule.TRANSFER)),
	TRANSFER_FEE("transfer fee", Map.of("fee", LedgerRule.FEE, "cash", LedgerRule.FEE)),
	TRUST_FEE("trust fee", Map.of("fee", LedgerRule.FEE, "cash", LedgerRule.FEE)),
	UNQUALIFIED_GAIN("unqualified gain", Map.of("cash", LedgerRule.INCOME, "fee", LedgerRule.INCOME)),
	WITHDRAWAL("withdrawal", Map.of("cash", LedgerRule.CASH)),
	/** plaid-java's value for a subtype newer than itself: the type's own rule. */
	ENUM_UNKNOWN("ENUM_UNKNOWN", Map.of());

	private static final Map<String, PlaidSubtype> BY_VALUE = Arrays.stream(values())
		.collect(Collectors.toMap(PlaidSubtype::value, Function.identity(), (a, b) -> a, LinkedHashMap::new));

	private final String value;

	private final Map<String, LedgerRule> byType;

	PlaidSubtype(String value, Map<String, LedgerRule> byType) {
		this.value = value;
		this.byType = byType;
	}

	/** Plaid's spelling, as {@code subtype} carries it. */
	public String value() {
		return this.value;
	}

	/** The types Plaid sends this subtype under, each with the rule it selects. */
	public Map<String, LedgerRule> byType() {
		return this.byType;
	}

	/**
	 * The rule of a transaction: {@code cancel} whatever its subtype; else the subtype's
	 * rule under its type; else the type's own (buy: a buy, sell: a sell, transfer: a
	 * transfer, fee: a fee, cash and anything else: cash only).
	 */
	public static LedgerRule ruleOf(String type, String subtype) {
		if ("cancel".equals(type)) {
			return LedgerRule.CANCEL;
		}
		PlaidSubtype known = (subtype != null) ? BY_VALUE.get(subtype) : null;
		LedgerRule rule = (known != null) ? known.byType.get(type) : null;
		return (rule != null) ? rule : byTypeAlone(type);
	}

	private static LedgerRule byTypeAlone(String type) {
		if (type == null) {
			return LedgerRule.CASH;
		}
		return switch (type) {
			case "buy" -> LedgerRule.BUY;
			case "sell" -> LedgerRule.SELL;
			case "transfer" -> LedgerRule.TRANSFER;
			case "fee" -> LedgerRule.FEE;
			default -> LedgerRule.CASH;
		};
	}

}
