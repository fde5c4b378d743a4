package dev.plaidsync.sync;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.simulator.SimSecurity;
import dev.plaidsync.simulator.SimTransaction;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@EngineIntegrationTest
class SyncJobsIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@Autowired
	SyncLauncher launcher;

	SyncRuns runs;

	UUID user;

	List<String> items;

	@BeforeEach
	void aUserWithItemsAtSeveralInstitutions() {
		this.runs = new SyncRuns(this.launcher, this.jdbc);
		String run = UUID.randomUUID().toString().substring(0, 8);
		this.user = this.users.idFor("sync-" + run);
		this.items = new java.util.ArrayList<>();
		for (String institution : List.of("ins_900001", "ins_900002", "ins_900003", "ins_900004")) {
			this.items
				.addAll(TestItems.create(this.context, this.user, 2, institution, "sync-" + run + "-" + institution));
		}
		for (int extra = 0; extra < 20 && !hasANonInvestmentAccount(); extra++) {
			this.items
				.addAll(TestItems.create(this.context, this.user, 1, "ins_900001", "sync-" + run + "-extra-" + extra));
		}
	}

	private boolean hasANonInvestmentAccount() {
		return this.items.stream()
			.map(this.simulator::item)
			.flatMap((item) -> item.accounts().stream())
			.anyMatch((account) -> !"investment".equals(account.type()));
	}

	@Test
	void allThreeJobsStoreExactlyWhatPlaidReturns() {
		SyncScope scope = SyncScope.user(this.user);
		this.runs.runToCompletion(SyncJob.HOLDINGS, scope, SyncOptions.interactive());
		this.runs.runToCompletion(SyncJob.TRANSACTIONS, scope,
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));
		this.runs.runToCompletion(SyncJob.BALANCES, scope, SyncOptions.interactive());

		List<SimItem> simulated = this.items.stream().map(this.simulator::item).toList();
		assertThat(simulated.stream().flatMap((item) -> item.accounts().stream()))
			.as("the sample includes a non-investment account")
			.anyMatch((account) -> !"investment".equals(account.type()));
		assertThat(simulated.stream().flatMap((item) -> item.securities().stream()).map(SimSecurity::type))
			.as("the sample includes options and cash")
			.contains("derivative", "cash");
		for (SimItem item : simulated) {
			assertAccountsMatch(item);
			assertHoldingsMatch(item);
			assertTransactionsMatch(item);
		}
		assertThat(this.jdbc
			.sql("SELECT count(*) FROM plaid_items WHERE user_id = :user AND holdings_synced_at IS NOT NULL "
					+ "AND transactions_synced_at IS NOT NULL AND transactions_full_synced_at IS NOT NULL AND balances_synced_at IS NOT NULL")
			.param("user", this.user)
			.query(Integer.class)
			.single()).isEqualTo(this.items.size());
	}

	@Test
	void soldPositionsDisappearClosedAccountsLeaveAndRemovedTransactionsAreDeletedWhileCancelsStay() {
		SyncScope scope = SyncScope.user(this.user);
		this.runs.runToCompletion(SyncJob.HOLDINGS, scope, SyncOptions.interactive());
		this.runs.runToCompletion(SyncJob.TRANSACTIONS, scope,
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));
		SimItem item = this.items.stream()
			.map(this.simulator::item)
			.filter((candidate) -> investmentAccounts(candidate).size() >= 2)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no item with two investment accounts in the sample"));
		SimAccount keptAccount = investmentAccounts(item).get(0);
		SimAccount closedAccount = investmentAccounts(item).get(1);
		SimHolding sold = item.holdings()
			.stream()
			.filter((holding) -> holding.accountId().equals(keptAccount.accountId()))
			.findFirst()
			.orElseThrow();
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		List<SimTransaction> transactions = this.simulator.transactions(item.itemId(), today.minusMonths(24), today);
		SimTransaction removed = transactions.stream()
			.filter((transaction) -> transaction.accountId().equals(keptAccount.accountId())
					&& "buy".equals(transaction.type()))
			.findFirst()
			.orElseThrow();
		long cancelsBefore = count(
				"SELECT count(*) FROM investment_transactions WHERE item_id = :item AND type = 'cancel'",
				item.itemId());
		assertThat(cancelsBefore).as("cancel rows are stored as Plaid returns them").isPositive();

		this.simulator.sellPosition(item.itemId(), keptAccount.accountId(), sold.securityId());
		this.simulator.closeAccount(item.itemId(), closedAccount.accountId());
		this.simulator.removeTransaction(item.itemId(), removed.investmentTransactionId());
		this.runs.runToCompletion(SyncJob.HOLDINGS, SyncScope.item(item.itemId()), SyncOptions.interactive());
		this.runs.runToCompletion(SyncJob.TRANSACTIONS, SyncScope.item(item.itemId()),
				SyncOptions.interactive(SyncOptions.TransactionsWindow.FULL));

		assertThat(count(
				"SELECT count(*) FROM holdings WHERE account_id = :item AND security_id = '" + sold.securityId() + "'",
				keptAccount.accountId()))
			.as("the sold position")
			.isZero();
		assertThat(count("SELECT count(*) FROM holdings WHERE account_id = :item", keptAccount.accountId()))
			.isEqualTo(item.holdings()
				.stream()
				.filter((holding) -> holding.accountId().equals(keptAccount.accountId()))
				.count() - 1);
		assertThat(this.jdbc.sql("SELECT is_active FROM user_investment_accounts WHERE account_id = :id")
			.param("id", closedAccount.accountId())
			.query(Boolean.class)
			.single()).as("the closed account is active").isFalse();
		assertThat(count("SELECT count(*) FROM investment_transactions WHERE investment_transaction_id = :item",
				removed.investmentTransactionId()))
			.as("the removed transaction")
			.isZero();
		assertThat(count("SELECT count(*) FROM investment_transactions WHERE item_id = :item AND type = 'cancel'",
				item.itemId()))
			.isEqualTo(cancelsBefore);
	}

	private void assertAccountsMatch(SimItem item) {
		Map<String, Map<String, Object>> stored = this.jdbc.sql(
				"SELECT account_id, mask, subtype, balance_current, is_active FROM user_investment_accounts WHERE item_id = :item")
			.param("item", item.itemId())
			.query()
			.listOfRows()
			.stream()
			.collect(Collectors.toMap((row) -> (String) row.get("account_id"), (row) -> row));
		assertThat(stored.keySet()).as("accounts of %s", item.itemId())
			.containsExactlyInAnyOrderElementsOf(investmentAccounts(item).stream().map(SimAccount::accountId).toList());
		for (SimAccount account : investmentAccounts(item)) {
			Map<String, Object> row = stored.get(account.accountId());
			assertThat(row.get("mask")).isEqualTo(account.mask());
			assertThat(row.get("subtype")).isEqualTo(account.subtype());
			assertThat((BigDecimal) row.get("balance_current")).isEqualByComparingTo(account.current());
			assertThat(row.get("is_active")).isEqualTo(true);
		}
	}

	private void assertHoldingsMatch(SimItem item) {
		Set<String> investment = investmentAccounts(item).stream()
			.map(SimAccount::accountId)
			.collect(Collectors.toSet());
		List<SimHolding> expected = item.holdings()
			.stream()
			.filter((holding) -> investment.contains(holding.accountId()))
			.toList();
		Map<String, Map<String, Object>> stored = this.jdbc
			.sql("""
					SELECT h.account_id || '/' || h.security_id AS key, h.quantity, h.institution_price, h.institution_value,
					       h.cost_basis, h.iso_currency_code, h.unofficial_currency_code, s.type, s.ticker_symbol
					FROM holdings h JOIN securities s ON s.security_id = h.security_id WHERE h.item_id = :item
					""")
			.param("item", item.itemId())
			.query()
			.listOfRows()
			.stream()
			.collect(Collectors.toMap((row) -> (String) row.get("key"), (row) -> row));
		assertThat(stored).as("holdings of %s", item.itemId()).hasSize(expected.size());
		Map<String, SimSecurity> securities = item.securities()
			.stream()
			.collect(Collectors.toMap(SimSecurity::securityId, (security) -> security));
		for (SimHolding holding : expected) {
			Map<String, Object> row = stored.get(holding.accountId() + "/" + holding.securityId());
			assertThat(row).as("holding %s/%s", holding.accountId(), holding.securityId()).isNotNull();
			assertThat((BigDecimal) row.get("quantity")).isEqualByComparingTo(holding.quantity());
			assertThat((BigDecimal) row.get("institution_price")).isEqualByComparingTo(holding.institutionPrice());
			assertThat((BigDecimal) row.get("institution_value")).isEqualByComparingTo(holding.institutionValue());
			if (holding.costBasis() == null) {
				assertThat(row.get("cost_basis")).isNull();
			}
			else {
				assertThat((BigDecimal) row.get("cost_basis")).isEqualByComparingTo(holding.costBasis());
			}
			assertThat(row.get("iso_currency_code")).isEqualTo(holding.isoCurrencyCode());
			assertThat(row.get("unofficial_currency_code")).isEqualTo(holding.unofficialCurrencyCode());
			assertThat(row.get("type")).isEqualTo(securities.get(holding.securityId()).type());
			assertThat(row.get("ticker_symbol")).isEqualTo(securities.get(holding.securityId()).tickerSymbol());
		}
	}

	private void assertTransactionsMatch(SimItem item) {
		Set<String> investment = investmentAccounts(item).stream()
			.map(SimAccount::accountId)
			.collect(Collectors.toSet());
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		List<SimTransaction> expected = this.simulator.transactions(item.itemId(), today.minusMonths(24), today)
			.stream()
			.filter((transaction) -> investment.contains(transaction.accountId()))
			.toList();
		Map<String, Map<String, Object>> stored = this.jdbc
			.sql("SELECT investment_transaction_id, date, quantity, amount, type, security_id, cancel_transaction_id "
					+ "FROM investment_transactions WHERE item_id = :item")
			.param("item", item.itemId())
			.query()
			.listOfRows()
			.stream()
			.collect(Collectors.toMap((row) -> (String) row.get("investment_transaction_id"), (row) -> row));
		assertThat(stored).as("transactions of %s", item.itemId()).hasSize(expected.size());
		for (SimTransaction transaction : expected) {
			Map<String, Object> row = stored.get(transaction.investmentTransactionId());
			assertThat(row).as(transaction.investmentTransactionId()).isNotNull();
			assertThat(row.get("date").toString()).isEqualTo(transaction.date().toString());
			assertThat((BigDecimal) row.get("amount")).isEqualByComparingTo(transaction.amount());
			assertThat(row.get("type")).isEqualTo(transaction.type());
			assertThat(row.get("security_id")).isEqualTo(transaction.securityId());
			assertThat(row.get("cancel_transaction_id")).isNull();
		}
	}

	private static List<SimAccount> investmentAccounts(SimItem item) {
		return item.accounts().stream().filter((account) -> "investment".equals(account.type())).toList();
	}

	private long count(String sql, String value) {
		return this.jdbc.sql(sql).param("item", value).query(Long.class).single();
	}

}
