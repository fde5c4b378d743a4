package dev.plaidsync.operations.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.microsoft.playwright.Browser;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.ConsoleBrowser;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's three clicks in a real browser (Chromium through Playwright): from an
 * execution in the list to its failed items and their Plaid codes, restarting only those;
 * and from a search to an item's timeline, what to tell its user, and the user's items.
 */
@EngineIntegrationTest
class ConsoleDrillDownIntegrationTests extends ConsoleBrowser {

	private static final String TOKEN = "test-ops-token";

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void calmTheSimulator() {
		this.simulator.setErrorRates(0, 0, 0);
	}

	@Test
	void anOperatorOpensAnExecutionSeesItsFailedItemsWithPlaidsCodeAndRestartsOnlyThoseItems() {
		UUID user = this.users.idFor("console-drill-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 2, "ins_109508", "console-drill-" + user);
		this.simulator.setErrorRates(0, 1.0, 0);
		long execution = launchForUser(user);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> !"STARTED".equals(status(execution)) && !"STARTING".equals(status(execution)));
		this.simulator.setErrorRates(0, 0, 0);
		openTab(new Browser.NewContextOptions().setViewportSize(1280, 900).setTimezoneId("America/New_York"));
		signIn();

		this.page.locator("#recent tr[data-execution='" + execution + "'] td").first().click();
		assertThat(this.page.locator("#detail h2")).hasText("holdingsSyncJob #" + execution);
		assertThat(this.page.locator("#recent")).isHidden();
		assertThat(this.page.locator("#detail [data-outcome=FAILED]")).hasText("failed: 2");
		assertThat(this.page.locator("#detail [data-outcome=WRITTEN]")).hasText("written: 0");
		assertThat(this.page.locator("#detail tbody").first()).containsText("INTERNAL_SERVER_ERROR");
		assertThat(this.page.locator("#detail")).containsText(java.util.regex.Pattern
			.compile("started\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d EST \\((\\d\\d-\\d\\d )?\\d\\d:\\d\\d UTC\\)"));
		assertThat(this.page.locator("#detail a[data-item]")).hasCount(2);

		this.page.locator("[data-action=restart-failed]").click();
		assertThat(this.page.locator("#confirm-title"))
			.hasText("Restart the 2 failed item(s) of execution " + execution + "?");
		this.page.locator("#confirm-ok").click();
		assertThat(this.page.locator("#flash")).containsText("Asked for 2 item run(s) of holdingsSyncJob");
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.jdbc
				.sql("SELECT count(*) FROM plaid_items WHERE item_id IN (:items) AND holdings_synced_at IS NOT NULL")
				.param("items", items)
				.query(Long.class)
				.single() == 2);

		this.page.locator("#detail-back").click();
		assertThat(this.page.locator("#detail")).isHidden();
		assertThat(this.page.locator("#recent")).isVisible();
	}

	@Test
	void anOperatorSearchesForAnItemReadsItsTimelineAndWhatToTellItsUserThenOpensTheUser() {
		UUID user = this.users.idFor("console-find-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 2, "ins_109508", "console-find-" + user);
		String needsLogin = items.get(0);
		this.simulator.requireLogin(needsLogin);
		long execution = launchForUser(user);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> !"STARTED".equals(status(execution)) && !"STARTING".equals(status(execution)));
		signIn();
		assertThat(this.page.locator("#schedules tbody")).containsText("holdingsSyncJob");
		assertThat(this.page.locator("#schedules tbody")).containsText("America/New_York");
		assertThat(this.page.locator("#schedules tbody")).containsText("disabled");

		this.page.locator("#search-q").fill(needsLogin);
		this.page.locator("#search-submit").click();
		assertThat(this.page.locator("#search-results tbody tr")).hasCount(1);
		assertThat(this.page.locator("#search-results tbody")).containsText("Test institution (ins_109508)");
		this.page.locator("#search-results a[data-item]").click();

		assertThat(this.page.locator("#detail h2")).hasText("Item " + needsLogin);
		assertThat(this.page.locator("[data-advice=NEEDS_USER]"))
			.containsText("/api/plaid/items/" + needsLogin + "/link-token");
		assertThat(this.page.locator("#timeline tbody")).containsText("ACTIVE → NEEDS_USER");
		assertThat(this.page.locator("#timeline tbody")).containsText("ITEM_LOGIN_REQUIRED");
		assertThat(this.page.locator("#timeline a[href='#execution/" + execution + "']").first()).isVisible();

		this.page.locator("#detail a[data-user]").first().click();
		assertThat(this.page.locator("#detail h2")).hasText("User " + user);
		assertThat(this.page.locator("#detail tbody tr")).hasCount(2);

		this.page.goBack();
		assertThat(this.page.locator("#detail h2")).hasText("Item " + needsLogin);
	}

	private void signIn() {
		this.page.navigate("http://localhost:" + this.port + "/ops/");
		this.page.locator("#token").fill(TOKEN);
		this.page.locator("#operator").fill("console-drill-test");
		this.page.locator("#signin-submit").click();
		assertThat(this.page.locator("#console")).isVisible();
	}

	private RestClient http() {
		return RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + TOKEN)
			.build();
	}

	private long launchForUser(UUID user) {
		Map<String, Object> launched = http().post()
			.uri("/ops/jobs/holdingsSyncJob/launch")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"scope\":\"USER\",\"userId\":\"" + user + "\"}")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		assertThat(launched).containsEntry("status", "STARTED");
		return ((Number) launched.get("jobExecutionId")).longValue();
	}

	private String status(long execution) {
		return (String) http().get()
			.uri("/ops/executions/" + execution)
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.get("status");
	}

}
