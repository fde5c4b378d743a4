package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SimAccount;
import dev.plaidsync.simulator.SimHolding;
import dev.plaidsync.simulator.SimItem;
import dev.plaidsync.simulator.SimSecurity;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Over real HTTP with real users' JWTs, against items linked at the simulator: the item,
 * account, holdings, securities and keyset-paged transaction reads, their bad input
 * (cursors, filters) as precise 400s, another user's ids, and the ETag's 304.
 */
@EngineIntegrationTest
class AppReadsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	SyncLauncher launcher;

	UserApiClient api;

	String token;

	String itemId;

	SimItem item;

	String otherToken;

	String otherItemId;

	private static String[] linked;

	/** Linked once for the class: each link waits for a first sync. */
	@BeforeEach
	void twoUsersEachWithALinkedItem() {
		this.api = new UserApiClient(this.port);
		if (linked != null) {
			this.token = linked[0];
			this.itemId = linked[1];
			this.otherToken = linked[2];
			this.otherItemId = linked[3];
			this.item = this.simulator.item(this.itemId);
			return;
		}
		String run = UUID.randomUUID().toString().substring(0, 8);
		String login = NewUserJourneyIntegrationTests.aLoginWithOptionsCashAndANonInvestmentAccount(this.simulator,
				NewUserJourneyIntegrationTests.INSTITUTION, "reads-" + run);
		this.token = this.api.demoToken("reads-" + run);
		this.itemId = NewUserJourneyIntegrationTests.linkThroughTheApi(this.api, this.simulator, this.token,
				NewUserJourneyIntegrationTests.INSTITUTION, login);
		this.item = this.simulator.item(this.itemId);
		this.otherToken = this.api.demoToken("reads-other-" + run);
		this.otherItemId = NewUserJourneyIntegrationTests.linkThroughTheApi(this.api, this.simulator, this.otherToken,
				NewUserJourneyIntegrationTests.INSTITUTION, "reads-other-login-" + run);
		linked = new String[] { this.token, this.itemId, this.otherToken, this.otherItemId };
	}

	@Test
	void anItemReadsWithItsAccountsAndAnotherUsersItemIsNotFound() {
		JsonNode read = this.api.get("/api/plaid/items/" + this.itemId, this.token).expect(200).body();
		assertThat(read.path("item_id").asString()).isEqualTo(this.itemId);
		assertThat(read.path("status").asString()).isEqualTo("ACTIVE");
		assertThat(read.path("institution_id").asString()).isEqualTo(NewUserJourneyIntegrationTests.INSTITUTION);
		assertThat(read.path("institution_name").asString()).isEqualTo(this.item.institution().name());
		assertThat(read.path("last_synced").path("holdings").isNull()).isFalse();
		assertThat(read.path("last_synced").path("transactions_full_history").isNull()).isFalse();
		assertThat(read.has("last_error")).isTrue();
		assertThat(read.path("user_action_required").asBoolean()).isFalse();
		Set<String> accountIds = new TreeSet<>();
		read.path("accounts").forEach((account) -> accountIds.add(account.path("account_id").asString()));
		Set<String> simAccountIds = new TreeSet<>();
		this.item.accounts().forEach((account) -> simAccountIds.add(account.accountId()));
		assertThat(simAccountIds).as("the accounts Plaid reported").containsAll(accountIds);
		assertThat(accountIds).as("every investment account").containsAll(investmentAccounts(this.item));
		for (JsonNode account : read.path("accounts")) {
			SimAccount sim = this.item.accounts()
				.stream()
				.filter((candidate) -> candidate.accountId().equals(account.path("account_id").asString()))
				.findFirst()
				.orElseThrow();
			assertThat(account.path("type").asString()).isEqualTo(sim.type());
			assertThat(account.path("in_portfolio").asBoolean()).isEqualTo("investment".equals(sim.type()));
			if (!account.path("balances_current").isNull()) {
				assertThat(account.path("balances_current").path("amount").asString()).matches("-?\\d+\\.\\d{2}");
			}
		}

		UserApiClient.Answer others = this.api.get("/api/plaid/items/" + this.otherItemId, this.token).expect(404);
		assertThat(others.body().path("error").asString()).isEqualTo("item_not_found");
		UserApiClient.Answer unknown = this.api.get("/api/plaid/items/no-such-item", this.token).expect(404);
		assertThat(unknown.body().path("message").asString())
			.isEqualTo(others.body().path("message").asString().replace(this.otherItemId, "no-such-item"));
		this.api.get("/api/plaid/items/" + this.itemId, null).expect(401);

		JsonNode accounts = this.api.get("/api/portfolio/accounts", this.token).expect(200).body();
		Set<String> listed = new TreeSet<>();
		accounts.path("accounts").forEach((account) -> listed.add(account.path("account_id").asString()));
		assertThat(listed).isEqualTo(accountIds);
	}

	@Test
	void holdingsPerAccountCarryTheComputedBasisOfThePortfolioAndAnUnchangedReadIs304() {
		SimHolding equity = anEquityHolding(this.item);
		String accountId = equity.accountId();
		JsonNode portfolio = this.api.get("/api/portfolio", this.token).expect(200).body();
		JsonNode firstAccount = null;
		for (JsonNode candidate : portfolio.path("accounts")) {
			if (candidate.path("account_id").asString().equals(accountId)) {
				firstAccount = candidate;
			}
		}
		assertThat(firstAccount).as("the account in the portfolio").isNotNull();

		UserApiClient.Answer holdings = this.api.get("/api/portfolio/holdings?account_id=" + accountId, this.token)
			.expect(200);
		assertThat(holdings.body().path("accounts")).hasSize(1);
		JsonNode account = holdings.body().path("accounts").get(0);
		assertThat(account).isEqualTo(firstAccount);
		int computed = 0;
		for (JsonNode holding : account.path("holdings")) {
			if (!holding.path("computed_cost_basis").isNull()) {
				computed++;
			}
		}
		assertThat(computed).as("holdings with a computed basis").isPositive();

		String etag = holdings.headers().firstValue("ETag").orElseThrow();
		assertThat(etag).matches("\"[A-Za-z0-9_-]{43}\"");
		UserApiClient.Answer unchanged = getIfNoneMatch("/api/portfolio/holdings?account_id=" + accountId, etag);
		assertThat(unchanged.status()).isEqualTo(304);
		assertThat(unchanged.raw()).isEmpty();
		assertThat(unchanged.headers().firstValue("ETag")).contains(etag);
		assertThat(getIfNoneMatch("/api/portfolio", etag).status()).as("another answer, another tag").isEqualTo(200);
		if (portfolio.path("accounts").size() > 1) {
			assertThat(getIfNoneMatch("/api/portfolio/holdings", etag).status())
				.as("every account's holdings are another answer than one account's")
				.isEqualTo(200);
		}

		UserApiClient.Answer whole = this.api.get("/api/portfolio", this.token).expect(200);
		String portfolioTag = whole.headers().firstValue("ETag").orElseThrow();
		assertThat(getIfNoneMatch("/api/portfolio", portfolioTag).status()).isEqualTo(304);
		assertThat(getIfNoneMatch("/api/portfolio", "\"not-the-tag\"").status()).isEqualTo(200);

		this.simulator.setPrice(equity.securityId(),
				equity.institutionPrice().multiply(new BigDecimal("1.5")).setScale(2, RoundingMode.HALF_UP));
		this.launcher.request(SyncJob.HOLDINGS, SyncScope.item(this.itemId), "test:" + UUID.randomUUID(),
				SyncOptions.interactive());
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> getIfNoneMatch("/api/portfolio/holdings?account_id=" + accountId, etag).status() == 200);
		UserApiClient.Answer changed = this.api.get("/api/portfolio/holdings?account_id=" + accountId, this.token)
			.expect(200);
		String newTag = changed.headers().firstValue("ETag").orElseThrow();
		assertThat(newTag).isNotEqualTo(etag);
		assertThat(getIfNoneMatch("/api/portfolio/holdings?account_id=" + accountId, newTag).status()).isEqualTo(304);
		assertThat(getIfNoneMatch("/api/portfolio", portfolioTag).status()).as("the portfolio changed too")
			.isEqualTo(200);

		UserApiClient.Answer othersAccount = this.api
			.get("/api/portfolio/holdings?account_id="
					+ this.simulator.item(this.otherItemId).accounts().get(0).accountId(), this.token)
			.expect(400);
		assertThat(othersAccount.body().path("error").asString()).isEqualTo("invalid_account_id");
		assertThat(othersAccount.body().path("accepted").toString()).contains(accountId);
	}

	@Test
	void securitiesAreThoseTheUserHoldsOrTraded() {
		JsonNode securities = this.api.get("/api/portfolio/securities", this.token).expect(200).body();
		Map<String, JsonNode> byId = new TreeMap<>();
		securities.path("securities")
			.forEach((security) -> byId.put(security.path("security_id").asString(), security));
		Set<String> investment = investmentAccounts(this.item);
		for (SimHolding holding : this.item.holdings()) {
			if (investment.contains(holding.accountId())) {
				assertThat(byId).containsKey(holding.securityId());
				assertThat(byId.get(holding.securityId()).path("held").asBoolean()).isTrue();
			}
		}
		Map<String, SimSecurity> sim = new TreeMap<>();
		this.item.securities().forEach((security) -> sim.put(security.securityId(), security));
		byId.forEach((id, security) -> assertThat(security.path("ticker").asString(null))
			.isEqualTo(sim.containsKey(id) ? sim.get(id).tickerSymbol() : security.path("ticker").asString(null)));
		Set<String> othersOnly = new HashSet<>();
		this.simulator.item(this.otherItemId).holdings().forEach((holding) -> othersOnly.add(holding.securityId()));
		this.item.securities().forEach((security) -> othersOnly.remove(security.securityId()));
		assertThat(byId.keySet()).as("none of another user's securities").doesNotContainAnyElementsOf(othersOnly);
	}

	@Test
	void keysetPagesWalkEveryTransactionOnceInOrderAndFiltersApply() {
		List<JsonNode> expected = offsetPagedTransactions();
		assertThat(expected).as("the item has transactions").hasSizeGreaterThan(5);

		List<JsonNode> walked = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			JsonNode page = this.api
				.get("/api/portfolio/investment-transactions?limit=4" + ((cursor != null) ? "&cursor=" + cursor : ""),
						this.token)
				.expect(200)
				.body();
			page.path("transactions").forEach(walked::add);
			assertThat(page.path("transactions").size()).isLessThanOrEqualTo(4);
			cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asString();
			assertThat(page.path("has_more").asBoolean()).isEqualTo(cursor != null);
			pages++;
		}
		while (cursor != null && pages < 1000);
		assertThat(ids(walked)).as("every transaction once").doesNotHaveDuplicates();
		assertThat(new TreeSet<>(ids(walked))).isEqualTo(new TreeSet<>(ids(expected)));
		for (int i = 1; i < walked.size(); i++) {
			assertThat(walked.get(i - 1).path("date").asString()).as("newest first")
				.isGreaterThanOrEqualTo(walked.get(i).path("date").asString());
		}
		for (JsonNode transaction : walked) {
			assertThat(transaction.path("amount").path("amount").asString()).matches("-?\\d+\\.\\d{2}");
		}

		JsonNode first = walked.get(walked.size() / 2);
		String type = first.path("type").asString();
		String accountId = first.path("account_id").asString();
		JsonNode filtered = this.api
			.get("/api/portfolio/investment-transactions?limit=500&type=" + type + "&account_id=" + accountId,
					this.token)
			.expect(200)
			.body();
		long matching = walked.stream()
			.filter((t) -> t.path("type").asString().equals(type) && t.path("account_id").asString().equals(accountId))
			.count();
		assertThat(filtered.path("transactions").size()).isEqualTo((int) matching);
		assertThat(filtered.path("filters").path("types").toString()).isEqualTo("[\"" + type + "\"]");

		String date = first.path("date").asString();
		JsonNode oneDay = this.api
			.get("/api/portfolio/investment-transactions?limit=500&start_date=" + date + "&end_date=" + date,
					this.token)
			.expect(200)
			.body();
		assertThat(oneDay.path("transactions").size())
			.isEqualTo((int) walked.stream().filter((t) -> t.path("date").asString().equals(date)).count());
		oneDay.path("transactions").forEach((t) -> assertThat(t.path("date").asString()).isEqualTo(date));

		JsonNode withSecurity = walked.stream()
			.filter((t) -> !t.path("security_id").isNull())
			.findFirst()
			.orElseThrow();
		String securityId = withSecurity.path("security_id").asString();
		JsonNode bySecurity = this.api
			.get("/api/portfolio/investment-transactions?limit=500&security_id=" + securityId, this.token)
			.expect(200)
			.body();
		assertThat(bySecurity.path("transactions").size()).isEqualTo(
				(int) walked.stream().filter((t) -> t.path("security_id").asString("").equals(securityId)).count());
	}

	@Test
	void badCursorsAndFiltersAre400sThatSayWhatToSend() {
		JsonNode page = this.api.get("/api/portfolio/investment-transactions?limit=2", this.token).expect(200).body();
		String cursor = page.path("next_cursor").asString();
		this.api.get("/api/portfolio/investment-transactions?limit=2&cursor=" + cursor, this.token).expect(200);

		UserApiClient.Answer malformed = this.api
			.get("/api/portfolio/investment-transactions?cursor=not*a*cursor", this.token)
			.expect(400);
		assertThat(malformed.body().path("error").asString()).isEqualTo("invalid_cursor");
		assertThat(malformed.body().path("detail").asString()).contains("send the next_cursor of the previous page");
		this.api.get("/api/portfolio/investment-transactions?cursor=AAAA", this.token).expect(400);

		char[] edited = cursor.toCharArray();
		int middle = edited.length / 2;
		edited[middle] = (edited[middle] == 'A') ? 'B' : 'A';
		UserApiClient.Answer tampered = this.api
			.get("/api/portfolio/investment-transactions?cursor=" + new String(edited), this.token)
			.expect(400);
		assertThat(tampered.body().path("error").asString()).isEqualTo("invalid_cursor");
		assertThat(tampered.body().path("detail").asString()).contains("was changed");

		assertThat(this.api.get("/api/portfolio/investment-transactions?type=buy&cursor=" + cursor, this.token)
			.expect(400)
			.body()
			.path("error")
			.asString()).as("a cursor sent with other filters").isEqualTo("invalid_cursor");
		assertThat(this.api.get("/api/portfolio/investment-transactions?cursor=" + cursor, this.otherToken)
			.expect(400)
			.body()
			.path("error")
			.asString()).as("another user's cursor").isEqualTo("invalid_cursor");

		UserApiClient.Answer badType = this.api.get("/api/portfolio/investment-transactions?type=buy,bogus", this.token)
			.expect(400);
		assertThat(badType.body().path("error").asString()).isEqualTo("invalid_type");
		assertThat(badType.body().path("detail").asString())
			.isEqualTo("type 'bogus' is not accepted; it takes Plaid's investment transaction types, one or several "
					+ "separated by commas: buy, cancel, cash, fee, sell, transfer.");
		this.api.get("/api/portfolio/investment-transactions?type=buy,sell", this.token).expect(200);

		String othersAccount = this.simulator.item(this.otherItemId).accounts().get(0).accountId();
		UserApiClient.Answer badAccount = this.api
			.get("/api/portfolio/investment-transactions?account_id=" + othersAccount, this.token)
			.expect(400);
		assertThat(badAccount.body().path("error").asString()).isEqualTo("invalid_account_id");
		assertThat(badAccount.body().path("detail").asString()).doesNotContain(othersAccount + ",")
			.contains(this.item.accounts().get(0).accountId());
		UserApiClient.Answer badSecurity = this.api
			.get("/api/portfolio/investment-transactions?security_id=no-such-security", this.token)
			.expect(400);
		assertThat(badSecurity.body().path("error").asString()).isEqualTo("invalid_security_id");

		assertThat(this.api.get("/api/portfolio/investment-transactions?limit=0", this.token)
			.expect(400)
			.body()
			.path("error")
			.asString()).isEqualTo("invalid_limit");
		assertThat(this.api
			.get("/api/portfolio/investment-transactions?start_date=2025-02-01&end_date=2025-01-01", this.token)
			.expect(400)
			.body()
			.path("error")
			.asString()).isEqualTo("invalid_date_range");
		this.api.get("/api/portfolio/investment-transactions?start_date=yesterday", this.token).expect(400);
		assertThat(this.api.get("/api/portfolio/investment-transactions?page=2", this.token)
			.expect(400)
			.body()
			.path("error")
			.asString()).isEqualTo("unknown_parameter");
	}

	private List<JsonNode> offsetPagedTransactions() {
		List<JsonNode> all = new ArrayList<>();
		String start = LocalDate.now().minusMonths(25).plusDays(1).toString();
		for (int page = 0;; page++) {
			JsonNode answer = this.api
				.get("/api/portfolio/transactions?size=500&start_date=" + start + "&page=" + page, this.token)
				.expect(200)
				.body();
			answer.path("transactions").forEach(all::add);
			if (!answer.path("has_more").asBoolean()) {
				return all;
			}
		}
	}

	private static List<String> ids(List<JsonNode> transactions) {
		return transactions.stream().map((t) -> t.path("investment_transaction_id").asString()).toList();
	}

	private static Set<String> investmentAccounts(SimItem item) {
		Set<String> investment = new HashSet<>();
		item.accounts()
			.stream()
			.filter((account) -> "investment".equals(account.type()))
			.forEach((account) -> investment.add(account.accountId()));
		return investment;
	}

	private static SimHolding anEquityHolding(SimItem item) {
		Map<String, SimSecurity> securities = new TreeMap<>();
		item.securities().forEach((security) -> securities.put(security.securityId(), security));
		Set<String> investment = investmentAccounts(item);
		return item.holdings()
			.stream()
			.filter((holding) -> investment.contains(holding.accountId()))
			.filter((holding) -> "equity".equals(securities.get(holding.securityId()).type()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no equity holding in " + item.itemId()));
	}

	private UserApiClient.Answer getIfNoneMatch(String path, String etag) {
		try {
			java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
				.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + this.port + path))
					.header("Authorization", "Bearer " + this.token)
					.header("If-None-Match", etag)
					.GET()
					.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			return new UserApiClient.Answer(response.statusCode(), null, response.headers(), response.body());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
