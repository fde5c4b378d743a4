package dev.plaidsync.simulator.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimSecurity;
import dev.plaidsync.simulator.SimTransaction;

final class PlaidJson {

	private PlaidJson() {
	}

	static Map<String, Object> error(PlaidException e, String requestId) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("display_message", e.displayMessage);
		body.put("documentation_url", e.documentationUrl);
		body.put("error_code", e.errorCode);
		body.put("error_code_reason", null);
		body.put("error_message", e.getMessage());
		body.put("error_type", e.errorType);
		body.put("request_id", requestId);
		body.put("causes", List.of());
		body.put("status", e.status);
		body.put("suggested_action", null);
		return body;
	}

	static Map<String, Object> item(ItemState state, String requestId) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("available_products", List.of("assets", "auth", "balance", "identity", "transactions"));
		item.put("billed_products", List.of("investments"));
		item.put("consent_expiration_time", null);
		item.put("error", state.loginRequired ? error(PlaidException.itemLoginRequired(), requestId) : null);
		item.put("institution_id", state.institution.institutionId());
		item.put("institution_name", state.institution.name());
		item.put("item_id", state.itemId());
		item.put("products", List.of("investments"));
		item.put("update_type", "background");
		item.put("webhook", state.webhookUrl);
		return item;
	}

	static Map<String, Object> account(SimAccount a, boolean investmentBalance) {
		Map<String, Object> balances = new LinkedHashMap<>();
		balances.put("available", a.available());
		balances.put("current", a.current());
		balances.put("iso_currency_code", a.isoCurrencyCode());
		balances.put("limit", null);
		if (investmentBalance) {
			balances.put("margin_loan_amount",
					"investment".equals(a.type()) ? java.math.BigDecimal.ZERO.setScale(2) : null);
		}
		balances.put("unofficial_currency_code", null);
		Map<String, Object> account = new LinkedHashMap<>();
		account.put("account_id", a.accountId());
		account.put("balances", balances);
		account.put("mask", a.mask());
		account.put("name", a.name());
		account.put("official_name", a.officialName());
		account.put("subtype", a.subtype());
		account.put("type", a.type());
		return account;
	}

	static List<Map<String, Object>> accounts(List<SimAccount> accounts, boolean investmentBalance) {
		List<Map<String, Object>> result = new ArrayList<>();
		accounts.forEach(a -> result.add(account(a, investmentBalance)));
		return result;
	}

	static Map<String, Object> holding(SimHolding h) {
		Map<String, Object> holding = new LinkedHashMap<>();
		holding.put("account_id", h.accountId());
		holding.put("cost_basis", h.costBasis());
		holding.put("institution_price", h.institutionPrice());
		holding.put("institution_price_as_of", h.institutionPriceAsOf().toString());
		holding.put("institution_price_datetime", time(h.institutionPriceDatetime()));
		holding.put("institution_value", h.institutionValue());
		holding.put("iso_currency_code", h.isoCurrencyCode());
		holding.put("quantity", h.quantity());
		holding.put("security_id", h.securityId());
		holding.put("unofficial_currency_code", h.unofficialCurrencyCode());
		holding.put("vested_quantity", h.quantity());
		holding.put("vested_value", h.institutionValue());
		return holding;
	}

	static Map<String, Object> security(SimSecurity s) {
		Map<String, Object> security = new LinkedHashMap<>();
		security.put("close_price", s.closePrice());
		security.put("close_price_as_of", s.closePriceAsOf().toString());
		security.put("cfi_code", null);
		security.put("cusip", null);
		security.put("fixed_income", s.maturityDate() == null ? null : fixedIncome(s));
		security.put("industry", s.industry());
		security.put("institution_id", null);
		security.put("institution_security_id", s.institutionSecurityId());
		security.put("is_cash_equivalent", s.cashEquivalent());
		security.put("isin", null);
		security.put("iso_currency_code", s.isoCurrencyCode());
		security.put("market_identifier_code", s.marketIdentifierCode());
		security.put("name", s.name());
		security.put("option_contract", s.optionContractType() == null ? null : optionContract(s));
		security.put("proxy_security_id", s.proxySecurityId());
		security.put("sector", s.sector());
		security.put("security_id", s.securityId());
		security.put("sedol", null);
		security.put("subtype", s.subtype());
		security.put("ticker_symbol", s.tickerSymbol());
		security.put("type", s.type());
		security.put("unofficial_currency_code", null);
		security.put("update_datetime", time(s.updateDatetime()));
		return security;
	}

	private static Map<String, Object> optionContract(SimSecurity s) {
		Map<String, Object> contract = new LinkedHashMap<>();
		contract.put("contract_type", s.optionContractType());
		contract.put("expiration_date", s.optionExpiration().toString());
		contract.put("strike_price", s.optionStrike());
		contract.put("underlying_security_ticker", s.optionUnderlying());
		return contract;
	}

	private static Map<String, Object> fixedIncome(SimSecurity s) {
		Map<String, Object> yieldRate = new LinkedHashMap<>();
		yieldRate.put("percentage", s.yieldPercentage());
		yieldRate.put("type", "coupon");
		Map<String, Object> fixedIncome = new LinkedHashMap<>();
		fixedIncome.put("face_value", java.math.BigDecimal.valueOf(1000));
		fixedIncome.put("issue_date", null);
		fixedIncome.put("maturity_date", s.maturityDate().toString());
		fixedIncome.put("yield_rate", yieldRate);
		return fixedIncome;
	}

	static Map<String, Object> transaction(SimTransaction t) {
		Map<String, Object> transaction = new LinkedHashMap<>();
		transaction.put("account_id", t.accountId());
		transaction.put("amount", t.amount());
		transaction.put("cancel_transaction_id", null);
		transaction.put("date", t.date().toString());
		transaction.put("fees", t.fees());
		transaction.put("investment_transaction_id", t.investmentTransactionId());
		transaction.put("iso_currency_code", t.isoCurrencyCode());
		transaction.put("name", t.name());
		transaction.put("price", t.price());
		transaction.put("quantity", t.quantity());
		transaction.put("security_id", t.securityId());
		transaction.put("subtype", t.subtype());
		transaction.put("transaction_datetime", time(t.transactionDatetime()));
		transaction.put("type", t.type());
		transaction.put("unofficial_currency_code", null);
		return transaction;
	}

	static Map<String, Object> webhook(String type, String code, String itemId) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("environment", "sandbox");
		body.put("item_id", itemId);
		body.put("webhook_code", code);
		body.put("webhook_type", type);
		return body;
	}

	static String time(Instant instant) {
		return instant == null ? null : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
	}

	private static String time(OffsetDateTime time) {
		return time == null ? null : time(time.toInstant());
	}

}
