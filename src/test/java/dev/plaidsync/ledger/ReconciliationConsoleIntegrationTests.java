package dev.plaidsync.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console's reconciliation block in a real browser: a stored break shows with its
 * security and amounts.
 */
@EngineIntegrationTest
class ReconciliationConsoleIntegrationTests {

	private static final List<Path> CHROMIUM = List.of(Paths.get("/usr/lib/chromium/chromium"),
			Paths.get("/usr/bin/chromium"));

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	Users users;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	JdbcClient jdbc;

	@Test
	void anOperatorSeesTheAccountsWhoseHoldingsMovedWithoutTransactions() {
		Path chromium = CHROMIUM.stream().filter(Files::isExecutable).findFirst().orElse(null);
		assumeTrue(chromium != null, "Skipped: no Chromium at " + CHROMIUM + ". Install it with "
				+ "`apt-get install --no-install-recommends chromium` (as .ci/run does).");
		UUID user = this.users.idFor("reconciliation-console-" + UUID.randomUUID());
		String itemId = TestItems.create(this.context, user, 1, "ins_900001", "reconciliation-console-" + user).get(0);
		LaunchOutcome outcome = this.launcher.request(SyncJob.HOLDINGS, SyncScope.item(itemId),
				"test:" + UUID.randomUUID(), SyncOptions.interactive());
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> "COMPLETED"
				.equals(this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
					.param("id", outcome.jobExecutionId())
					.query(String.class)
					.single()));
		// the sync's own check (PortfolioRefreshed) has run, so it cannot rewrite the
		// break inserted below
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> this.jdbc.sql("""
				SELECT count(*) = 0 FROM user_investment_accounts a
				WHERE a.item_id = :item AND a.type = 'investment'
				AND NOT EXISTS (SELECT 1 FROM reconciliation_checks c WHERE c.account_id = a.account_id)
				""").param("item", itemId).query(Boolean.class).single());
		Map<String, Object> holding = this.jdbc
			.sql("""
					SELECT h.account_id, h.security_id, s.ticker_symbol FROM holdings h JOIN securities s ON s.security_id = h.security_id
					WHERE h.item_id = :item AND s.type <> 'cash' ORDER BY h.account_id, h.security_id LIMIT 1
					""")
			.param("item", itemId)
			.query()
			.singleRow();
		this.jdbc
			.sql("""
					INSERT INTO reconciliation_breaks (account_id, security_id, from_day, to_day, user_id, item_id, holdings_change,
					    transactions_quantity, difference)
					VALUES (:account, :security, DATE '2026-11-26', DATE '2026-11-27', :user, :item, 12, 5, 7)
					""")
			.param("account", holding.get("account_id"))
			.param("security", holding.get("security_id"))
			.param("user", user)
			.param("item", itemId)
			.update();

		try (Playwright playwright = Playwright
			.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
				Browser browser = playwright.chromium()
					.launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
						.setHeadless(true)
						.setArgs(List.of("--no-sandbox", "--disable-gpu")))) {
			Page page = browser.newPage();
			page.navigate("http://localhost:" + this.port + "/ops/");
			page.locator("#token").fill("test-ops-token");
			page.locator("#signin-submit").click();
			Locator row = page.locator("#reconciliation tr[data-account='" + holding.get("account_id") + "']");
			assertThat(row).isVisible(
					new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(30_000));
			assertThat(row).containsText((String) holding.get("ticker_symbol"));
			assertThat(row).containsText("2026-11-26 → 2026-11-27");
			assertThat(row.locator("td.num")).containsText(new String[] { "12", "5", "7" });
			assertThat(page.locator("#reconciliation .hint")).containsText("account(s) with holdings that moved");
			page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-reconciliation.png"))
				.setFullPage(true));
		}
		finally {
			this.jdbc.sql("DELETE FROM reconciliation_breaks WHERE item_id = :item").param("item", itemId).update();
		}
	}

}
