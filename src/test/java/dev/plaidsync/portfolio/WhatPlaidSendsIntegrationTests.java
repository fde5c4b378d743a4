package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.ledger.CostBasis;
import dev.plaidsync.ledger.PositionBasis;
import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.simulator.SimSecurity;
import dev.plaidsync.simulator.SimTransaction;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Plaid sends beyond the basics (an option's contract, a bond's terms, a fund's
 * sector and industry, the institution's and a proxy's security ids, when a close or an
 * institution price was taken, a trade's time of day) is stored by the sync through
 * plaid-java and shown by the user API; the ledger orders a day's trades by the stored
 * time of day.
 */
@EngineIntegrationTest
class WhatPlaidSendsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	CostBasis costBasis;

	@Test
	void optionContractsFundSectorsAndTradeTimesAreStoredAndShown() {
		UserApiClient api = new UserApiClient(this.port);
		String run = UUID.randomUUID().toString().substring(0, 8);
		String login = aLoginWithAnOptionAndAMutualFund("sends-" + run);
		String token = api.demoToken("sends-" + run);
		String itemId = NewUserJourneyIntegrationTests.linkThroughTheApi(api, this.simulator, token,
				NewUserJourneyIntegrationTests.INSTITUTION, login);
		SimItem item = this.simulator.item(itemId);
		Map<String, SimSecurity> securities = new HashMap<>();
		item.securities().forEach((security) -> securities.put(security.securityId(), security));
		SimSecurity option = held(item, securities, "derivative");
		SimSecurity fund = held(item, securities, "mutual fund");

		Map<String, Object> storedOption = this.jdbc.sql("""
				SELECT option_contract_type, option_expiration_date, option_strike_price, option_underlying_ticker
				FROM securities WHERE security_id = :id
				""").param("id", option.securityId()).query().singleRow();
		assertThat(storedOption.get("option_contract_type")).isEqualTo(option.optionContractType());
		assertThat(storedOption.get("option_expiration_date"))
			.isEqualTo(java.sql.Date.valueOf(option.optionExpiration()));
		assertThat((BigDecimal) storedOption.get("option_strike_price")).isEqualByComparingTo(option.optionStrike());
		assertThat(storedOption.get("option_underlying_ticker")).isEqualTo(option.optionUnderlying());
		Map<String, Object> storedFund = this.jdbc
			.sql("""
					SELECT sector, industry, institution_security_id, update_datetime FROM securities WHERE security_id = :id
					""")
			.param("id", fund.securityId())
			.query()
			.singleRow();
		assertThat(storedFund.get("sector")).isEqualTo("Miscellaneous");
		assertThat(storedFund.get("industry")).isEqualTo("Investment Trusts or Mutual Funds");
		assertThat(storedFund.get("institution_security_id")).isEqualTo("PLAN-" + fund.tickerSymbol());
		assertThat(((java.sql.Timestamp) storedFund.get("update_datetime")).toInstant())
			.isEqualTo(fund.updateDatetime().toInstant());

		SimHolding optionHolding = item.holdings()
			.stream()
			.filter((holding) -> holding.securityId().equals(option.securityId()))
			.findFirst()
			.orElseThrow();
		assertThat(this.jdbc.sql("""
				SELECT institution_price_datetime FROM holdings WHERE account_id = :account AND security_id = :security
				""")
			.param("account", optionHolding.accountId())
			.param("security", option.securityId())
			.query(OffsetDateTime.class)
			.single()
			.toInstant()).isEqualTo(optionHolding.institutionPriceDatetime().toInstant());

		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		SimTransaction trade = this.simulator.transactions(itemId, today.minusMonths(24), today)
			.stream()
			.filter((transaction) -> transaction.transactionDatetime() != null)
			.findFirst()
			.orElseThrow();
		assertThat(this.jdbc
			.sql("SELECT transaction_datetime FROM investment_transactions WHERE investment_transaction_id = :id")
			.param("id", trade.investmentTransactionId())
			.query(OffsetDateTime.class)
			.single()
			.toInstant()).isEqualTo(trade.transactionDatetime().toInstant());

		JsonNode portfolio = api.get("/api/portfolio", token).expect(200).body();
		JsonNode optionView = holdingView(portfolio, optionHolding.accountId(), option.securityId());
		JsonNode contract = optionView.path("security").path("option_contract");
		assertThat(contract.path("contract_type").asString()).isEqualTo(option.optionContractType());
		assertThat(contract.path("expiration_date").asString()).isEqualTo(option.optionExpiration().toString());
		assertThat(new BigDecimal(contract.path("strike_price").path("per_unit").asString()))
			.isEqualByComparingTo(option.optionStrike());
		assertThat(contract.path("underlying_security_ticker").asString()).isEqualTo(option.optionUnderlying());
		assertThat(optionView.path("institution_price_datetime").asString())
			.isEqualTo(optionHolding.institutionPriceDatetime().toInstant().toString());
		assertThat(optionView.path("security").path("sector").isNull()).isTrue();
		SimHolding fundHolding = item.holdings()
			.stream()
			.filter((holding) -> holding.securityId().equals(fund.securityId()))
			.findFirst()
			.orElseThrow();
		JsonNode fundView = holdingView(portfolio, fundHolding.accountId(), fund.securityId()).path("security");
		assertThat(fundView.path("sector").asString()).isEqualTo("Miscellaneous");
		assertThat(fundView.path("industry").asString()).isEqualTo("Investment Trusts or Mutual Funds");
		assertThat(fundView.path("institution_security_id").asString()).isEqualTo("PLAN-" + fund.tickerSymbol());
		assertThat(fundView.path("option_contract").isNull()).isTrue();

		JsonNode transactions = api
			.get("/api/portfolio/transactions?size=500&start_date=" + trade.date() + "&end_date=" + trade.date(), token)
			.expect(200)
			.body();
		JsonNode tradeView = null;
		for (JsonNode transaction : transactions.path("transactions")) {
			if (transaction.path("investment_transaction_id").asString().equals(trade.investmentTransactionId())) {
				tradeView = transaction;
			}
		}
		assertThat(tradeView).isNotNull();
		assertThat(tradeView.path("transaction_datetime").asString())
			.isEqualTo(trade.transactionDatetime().toInstant().toString());
	}

	/**
	 * A day whose sell came before its buy: Monday buy 10 @ 10.00 (100.00); Tuesday 09:30
	 * sell 10 @ 15.00 (150.00) realizes 150.00 - 100.00 = 50.00 and closes the position,
	 * then 15:00 buy 10 @ 20.00 opens 10 units at 200.00. Without the times of day, the
	 * day's buy would apply first (20 units at 300.00, average 15.00) and the sell would
	 * realize 150.00 - 150.00 = 0.00, leaving 10 units at 150.00.
	 */
	@Test
	void aDaysTradesApplyInTheOrderOfTheirStoredTimesOfDay() {
		String subject = "sameday-" + UUID.randomUUID();
		UUID userId = this.jdbc.sql("INSERT INTO app_users (auth_subject) VALUES (:subject) RETURNING id")
			.param("subject", subject)
			.query(UUID.class)
			.single();
		String itemId = "item-" + subject;
		String accountId = "acct-" + subject;
		this.jdbc.sql("""
				INSERT INTO plaid_items (item_id, user_id, institution_id, access_token_ciphertext, access_token_key_id,
				    holdings_synced_at, transactions_synced_at)
				VALUES (:itemId, :userId, 'ins_1', '\\x00'::bytea, 'k1', now(), now())
				""").param("itemId", itemId).param("userId", userId).update();
		this.jdbc.sql("""
				INSERT INTO user_investment_accounts (account_id, item_id, user_id, name, type, subtype)
				VALUES (:accountId, :itemId, :userId, 'Brokerage', 'investment', 'brokerage')
				""").param("accountId", accountId).param("itemId", itemId).param("userId", userId).update();
		this.jdbc.sql("""
				INSERT INTO securities (security_id, ticker_symbol, name, type)
				VALUES ('sec-sameday', 'SDAY', 'Same Day Inc', 'equity') ON CONFLICT DO NOTHING
				""").update();
		List<Object[]> trades = List.of(new Object[] { "a-buy", "buy", "10", "100.00", "10", "2026-03-02T15:00:00Z" },
				new Object[] { "b-buy", "buy", "10", "200.00", "20", "2026-03-03T20:00:00Z" },
				new Object[] { "c-sell", "sell", "-10", "-150.00", "15", "2026-03-03T14:30:00Z" });
		for (Object[] trade : trades) {
			this.jdbc.sql("""
					INSERT INTO investment_transactions (investment_transaction_id, account_id, item_id, user_id,
					    security_id, date, transaction_datetime, name, quantity, amount, price, fees, type, subtype,
					    iso_currency_code, synced_at)
					VALUES (:id, :accountId, :itemId, :userId, 'sec-sameday', :day, CAST(:datetime AS timestamptz),
					    :type, CAST(:quantity AS numeric), CAST(:amount AS numeric), CAST(:price AS numeric), 0, :type,
					    :type, 'USD', now())
					""")
				.param("id", subject + "-" + trade[0])
				.param("accountId", accountId)
				.param("itemId", itemId)
				.param("userId", userId)
				.param("day", LocalDate.parse(((String) trade[5]).substring(0, 10)))
				.param("datetime", trade[5])
				.param("type", trade[1])
				.param("quantity", trade[2])
				.param("amount", trade[3])
				.param("price", trade[4])
				.update();
		}

		PositionBasis position = this.costBasis.forUser(userId).position(accountId, "sec-sameday", "USD", "equity");

		assertThat(position.openQuantity()).isEqualByComparingTo("10");
		assertThat(position.costBasis()).isEqualByComparingTo("200.00");
		assertThat(position.realizedGain()).isEqualByComparingTo("50.00");
	}

	private String aLoginWithAnOptionAndAMutualFund(String prefix) {
		for (int attempt = 0; attempt < 80; attempt++) {
			String login = prefix + "-" + attempt;
			LinkedItem probe = this.simulator.createItem(NewUserJourneyIntegrationTests.INSTITUTION, login, null);
			SimItem item = this.simulator.item(probe.itemId());
			Map<String, String> types = new HashMap<>();
			item.securities().forEach((security) -> types.put(security.securityId(), security.type()));
			List<String> held = item.holdings().stream().map((holding) -> types.get(holding.securityId())).toList();
			if (held.contains("derivative") && held.contains("mutual fund")) {
				return login;
			}
		}
		throw new AssertionError("no login among 80 holds both an option and a mutual fund");
	}

	private static SimSecurity held(SimItem item, Map<String, SimSecurity> securities, String type) {
		return item.holdings()
			.stream()
			.map((holding) -> securities.get(holding.securityId()))
			.filter((security) -> type.equals(security.type()))
			.findFirst()
			.orElseThrow();
	}

	private static JsonNode holdingView(JsonNode portfolio, String accountId, String securityId) {
		for (JsonNode account : portfolio.path("accounts")) {
			if (account.path("account_id").asString().equals(accountId)) {
				for (JsonNode holding : account.path("holdings")) {
					if (holding.path("security_id").asString().equals(securityId)) {
						return holding;
					}
				}
			}
		}
		throw new AssertionError("no holding of " + securityId + " in account " + accountId);
	}

}
