package dev.plaidsync.operations.console;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.simulator.LinkedItem;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.ConsoleBrowser;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's launch and replay actions in a real browser (Debian's Chromium through
 * Playwright) against the whole engine: each asks for confirmation, does what the API
 * does, and lands in the audit trail.
 */
@EngineIntegrationTest
class ConsoleActionsIntegrationTests extends ConsoleBrowser {

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

	@Test
	void anOperatorLaunchesARunForOneItemAfterConfirmingAndOnlyThatItemSyncs() {
		UUID user = this.users.idFor("console-launch-" + UUID.randomUUID());
		List<String> items = TestItems.create(this.context, user, 3, "ins_109508", "console-launch-" + user);
		String item = items.get(0);
		signIn();

		this.page.locator("#launch-scope").selectOption("USER");
		this.page.locator("#launch-submit").click();
		assertThat(this.page.locator("#flash")).containsText("enter the user id");
		assertThat(this.page.locator("#confirm")).isHidden();

		this.page.locator("#launch-scope").selectOption("ITEM");
		this.page.locator("#launch-target").fill(item);
		this.page.locator("#launch-submit").click();
		assertThat(this.page.locator("#confirm-title")).hasText("Launch holdingsSyncJob for item " + item + "?");
		this.page.locator("#confirm-cancel").click();
		assertThat(this.page.locator("#confirm")).isHidden();
		assertThat(synced(user)).as("cancelled: nothing launched").isZero();

		this.page.locator("#launch-submit").click();
		assertThat(this.page.locator("#confirm")).isVisible();
		this.page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-launch-confirm.png")));
		this.page.locator("#confirm-ok").click();

		Locator flash = this.page.locator("#flash");
		assertThat(flash).containsText("holdingsSyncJob for item " + item + ": started as execution #");
		Matcher started = Pattern.compile("execution #(\\d+)").matcher(flash.textContent());
		assertThat(started.find()).isTrue();
		long execution = Long.parseLong(started.group(1));
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> "COMPLETED".equals(execution(execution).get("status")));
		assertThat(this.jdbc
			.sql("SELECT item_id FROM plaid_items WHERE user_id = :user AND holdings_synced_at IS NOT NULL")
			.param("user", user)
			.query(String.class)
			.list()).as("only the item in scope synced").containsExactly(item);
		assertThat(this.page.locator("#audit")).containsText("holdingsSyncJob ITEM:" + item,
				new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(30_000));

		this.page.locator("#launch-job").selectOption("transactionsSyncJob");
		this.page.locator("#launch-scope").selectOption("USER");
		assertThat(this.page.locator("#launch-window-label")).isVisible();
		this.page.locator("#launch-window").selectOption("FULL");
		this.page.locator("#launch-target").fill("not-a-user-id");
		this.page.locator("#launch-submit").click();
		assertThat(this.page.locator("#confirm-text")).containsText("over the full window");
		this.page.locator("#confirm-ok").click();
		assertThat(flash).containsText("Refused: ");
		assertThat(this.page.locator("#flash.refused")).isVisible();
		this.page
			.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-launch.png")).setFullPage(true));
	}

	@Test
	void anOperatorReplaysAWebhookEventFromTheListAfterConfirmingAndItIsProcessedAgain() {
		UUID user = this.users.idFor("console-replay-" + UUID.randomUUID());
		LinkedItem item = this.simulator.createItem("ins_900001", "console-replay-" + user,
				"http://localhost:" + this.port + "/webhook/plaid");
		TestItems.insert(this.context, user, item.itemId(), item.accessToken(), "ins_900001");
		this.simulator.fireHoldingsUpdate(item.itemId());
		UUID original = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.sql("SELECT id FROM plaid_webhook_events WHERE item_id = :item AND status = 'DONE'")
				.param("item", item.itemId())
				.query(UUID.class)
				.optional(), java.util.Optional::isPresent)
			.get();
		signIn();

		this.page.locator("#events-status").selectOption("DONE");
		Locator row = this.page.locator("#events tr[data-event='" + original + "']");
		assertThat(row).containsText("HOLDINGS / DEFAULT_UPDATE");
		row.locator("button[data-action=replay]").click();
		assertThat(this.page.locator("#confirm-title")).hasText("Replay webhook event " + original + "?");
		this.page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-replay-confirm.png")));
		this.page.locator("#confirm-ok").click();

		Locator flash = this.page.locator("#flash");
		assertThat(flash).containsText("Webhook event " + original + " replayed as ");
		UUID replay = UUID.fromString(flash.textContent().replaceAll("(?s).*replayed as ([0-9a-f-]{36}).*", "$1"));
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> "DONE".equals(this.jdbc.sql("SELECT status FROM plaid_webhook_events WHERE id = :id")
				.param("id", replay)
				.query(String.class)
				.single()));
		assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_webhook_events WHERE item_id = :item")
			.param("item", item.itemId())
			.query(Long.class)
			.single()).as("the original and its replay").isEqualTo(2);
		assertThat(this.page.locator("#audit")).containsText("replay webhook",
				new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(30_000));

		this.page.locator("#replay-id").fill("not-an-id");
		this.page.locator("#replay-submit").click();
		assertThat(flash).containsText("a webhook event id is a UUID");
		this.page.locator("#replay-id").fill("00000000-0000-0000-0000-000000000000");
		this.page.locator("#replay-submit").click();
		this.page.locator("#confirm-ok").click();
		assertThat(flash).containsText("Refused: ");
		this.page
			.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-replay.png")).setFullPage(true));
	}

	@Test
	void theOutgoingEventsPanelListsAnEventWithItsStateAndAReplayWithoutAnEndpointIsRefusedSayingWhy() {
		UUID user = this.users.idFor("console-outgoing-" + UUID.randomUUID());
		String item = TestItems.create(this.context, user, 1, "ins_900001", "console-outgoing-" + user).get(0);
		this.context.getBean(ItemStatusChanges.class).needsUser(item, "ITEM_LOGIN_REQUIRED", "login changed");
		long eventId = this.jdbc.sql("SELECT id FROM notification_events WHERE user_id = :user")
			.param("user", user)
			.query(Long.class)
			.single();
		signIn();

		this.page.locator("#outgoing-state").selectOption("");
		Locator row = this.page.locator("#outgoing tr", new Page.LocatorOptions().setHasText(user.toString()));
		assertThat(row).containsText("item.status_changed");
		assertThat(row).containsText("NO_ENDPOINT");
		assertThat(row).containsText("not attempted");
		row.locator("button[data-action=replay-outgoing]").click();
		assertThat(this.page.locator("#confirm-title")).hasText("Replay outgoing event " + eventId + "?");
		this.page.locator("#confirm-ok").click();
		assertThat(this.page.locator("#flash")).containsText("Refused: No PLAIDSYNC_EVENTS_WEBHOOK_URL is configured");
		assertThat(this.jdbc.sql(
				"SELECT count(*) FROM ops_audit WHERE action = 'replay event' AND target = :target AND result = 'REFUSED'")
			.param("target", "event " + eventId)
			.query(Long.class)
			.single()).isEqualTo(1);
		this.page.screenshot(
				new Page.ScreenshotOptions().setPath(Paths.get("target/console-outgoing.png")).setFullPage(true));
	}

	@Test
	void theEventListAnswersOnlyWithTheTokenAndRefusesAnUnknownStatus() {
		RestClient anonymous = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
		assertThat(anonymous.get().uri("/ops/webhooks/events").retrieve().toBodilessEntity().getStatusCode().value())
			.isEqualTo(401);
		var refused = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + TOKEN)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build()
			.get()
			.uri("/ops/webhooks/events?status=EXPLODED")
			.retrieve()
			.toEntity(String.class);
		assertThat(refused.getStatusCode().value()).isEqualTo(400);
		assertThat(refused.getBody()).contains("status must be one of");
	}

	/**
	 * The items the paging test seeded go, so that other test classes sharing this engine
	 * never see them.
	 */
	@AfterEach
	void removeSeededItems() {
		this.jdbc.sql("DELETE FROM plaid_items WHERE item_id LIKE 'console-paging-%'").update();
	}

	@Test
	void aListShowsItsTotalWithTheFirstPageAndTheOperatorPagesThroughIt() {
		UUID user = this.users.idFor("console-paging-" + UUID.randomUUID());
		for (int i = 0; i < 23; i++) {
			this.jdbc
				.sql("""
						INSERT INTO plaid_items (item_id, user_id, institution_id, access_token_ciphertext, access_token_key_id,
						    status, status_reason, status_changed_at)
						VALUES (:item, :user, 'ins_paging', '\\x00'::bytea, 'k1', 'NEEDS_USER', 'ITEM_LOGIN_REQUIRED',
						    now() - interval '1 year' + make_interval(secs => :i))
						""")
				.param("item", "console-paging-" + user + "-" + i)
				.param("user", user)
				.param("i", i)
				.update();
		}
		long total = this.jdbc.sql("""
				SELECT count(*) FROM plaid_items WHERE status IN ('NEEDS_USER', 'REVOKED', 'BROKEN')
				   OR (status = 'ACTIVE' AND (consent_expiration_at IS NOT NULL OR pending_disconnect_at IS NOT NULL))
				""").query(Long.class).single();
		signIn();

		Locator pager = this.page.locator("#attention .pager");
		assertThat(pager.locator(".count")).hasText("1–20 of " + total + " items");
		assertThat(this.page.locator("#attention tbody tr")).hasCount(20);
		assertThat(pager.locator("button[data-page=previous]")).isDisabled();
		assertThat(this.page.locator("#attention tbody")).containsText("console-paging-" + user + "-0");

		pager.locator("button[data-page=next]").click();
		assertThat(pager.locator(".count")).hasText("21–" + Math.min(40, total) + " of " + total + " items");
		assertThat(pager.locator("button[data-page=previous]")).isEnabled();
		assertThat(this.page.locator("#attention tbody")).not().containsText("console-paging-" + user + "-0");

		pager.locator("button[data-page=previous]").click();
		assertThat(pager.locator(".count")).hasText("1–20 of " + total + " items");
		assertThat(this.page.locator("#attention tbody")).containsText("console-paging-" + user + "-0");
		assertThat(this.page.locator("#audit .pager .count")).containsText(" actions");
		assertThat(this.page.locator("#events .pager .count")).isVisible();
		this.page
			.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-paging.png")).setFullPage(true));
	}

	private long synced(UUID user) {
		return this.jdbc
			.sql("SELECT count(*) FROM plaid_items WHERE user_id = :user AND holdings_synced_at IS NOT NULL")
			.param("user", user)
			.query(Long.class)
			.single();
	}

	private void signIn() {
		this.page.navigate("http://localhost:" + this.port + "/ops/");
		this.page.locator("#token").fill(TOKEN);
		this.page.locator("#operator").fill("console-actions-test");
		this.page.locator("#signin-submit").click();
		assertThat(this.page.locator("#console")).isVisible();
	}

	private Map<String, Object> execution(long id) {
		return RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + TOKEN)
			.build()
			.get()
			.uri("/ops/executions/" + id)
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
	}

}
