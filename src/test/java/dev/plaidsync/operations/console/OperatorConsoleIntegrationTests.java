package dev.plaidsync.operations.console;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
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
import org.springframework.web.client.RestClient;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator console in a real browser (Debian's Chromium, headless, driven by
 * Playwright) against the whole engine. Skips, saying how to install it, where no
 * Chromium is installed; {@code .ci/run} installs it.
 */
@EngineIntegrationTest
class OperatorConsoleIntegrationTests extends ConsoleBrowser {

	private static final String TOKEN = "test-ops-token";

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	Users users;

	@AfterEach
	void calmTheSimulator() {
		this.simulator.setErrorRates(0, 0, 0);
	}

	@Test
	void anOperatorSeesAFailedExecutionWithItsReasonRestartsItAndSeesItComplete() {
		UUID user = this.users.idFor("console-" + UUID.randomUUID());
		TestItems.create(this.context, user, 25, "ins_900001", "console-fail-" + user);
		// One institution down no longer fails a run (its items are retried); Plaid
		// failing for everyone does.
		this.simulator.setErrorRates(0, 1.0, 0);
		long failed = launchHoldingsSync(user);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> "FAILED".equals(execution(failed).get("status")));
		this.simulator.setErrorRates(0, 0, 0);

		signIn(TOKEN);

		Locator failedRow = this.page.locator("#problems tr[data-execution='" + failed + "']");
		assertThat(failedRow).containsText("FAILED");
		assertThat(failedRow).containsText("items failed");
		assertThat(failedRow).containsText("INTERNAL_SERVER_ERROR");

		this.page
			.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-failed.png")).setFullPage(true));

		failedRow.locator("button[data-action=restart]").click();
		assertThat(this.page.locator("#confirm")).isVisible();
		assertThat(this.page.locator("#confirm-title")).containsText("Restart holdingsSyncJob #" + failed);
		this.page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-confirm.png")));
		this.page.locator("#confirm-ok").click();

		Locator flash = this.page.locator("#flash");
		assertThat(flash).containsText("Restarted execution " + failed + " as #");
		Matcher restartedAs = Pattern.compile("as #(\\d+)").matcher(flash.textContent());
		assertThat(restartedAs.find()).isTrue();
		Locator restartedRow = this.page.locator("#recent tr[data-execution='" + restartedAs.group(1) + "']");
		assertThat(restartedRow).containsText("COMPLETED",
				new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
		assertThat(failedRow).hasCount(0);
		assertThat(this.page.locator("#audit")).containsText("console-test@");
		assertThat(this.page.locator("#webhooks-chart svg")).isVisible();
		assertThat(this.page.locator("#synced-chart svg")).isVisible();
		assertThat(this.page.locator("#retries")).containsText("No item waits for a retry.");

		this.page.screenshot(
				new Page.ScreenshotOptions().setPath(Paths.get("target/console-restart.png")).setFullPage(true));
	}

	@Test
	void aWrongTokenIsRefusedWithAClearMessageAndTheTokenIsAskedForAgain() {
		signIn("not-the-token");

		Locator error = this.page.locator("#signin-error");
		assertThat(error).isVisible();
		assertThat(error).containsText("did not accept this token");
		assertThat(error).containsText("PLAIDSYNC_OPS_TOKEN");
		assertThat(this.page.locator("#token")).isVisible();
		assertThat(this.page.locator("#token")).isEmpty();
		assertThat(this.page.locator("#console")).isHidden();
		assertThat(this.page.evaluate("sessionStorage.getItem('plaidsync.ops.token')")).isNull();

		this.page.screenshot(
				new Page.ScreenshotOptions().setPath(Paths.get("target/console-wrong-token.png")).setFullPage(true));
	}

	@Test
	void onAPhoneThePageFitsTheScreenAndSigningOutForgetsTheToken() {
		openTab(new Browser.NewContextOptions().setViewportSize(390, 844)
			.setIsMobile(true)
			.setHasTouch(true)
			.setDeviceScaleFactor(2));
		signIn(TOKEN);
		assertThat(this.page.locator("#audit table")).isVisible();

		assertThat((Boolean) this.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
			.as("no sideways scrolling of the whole page")
			.isTrue();
		this.page
			.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-phone.png")).setFullPage(true));

		this.page.locator("#sign-out").click();
		assertThat(this.page.locator("#token")).isVisible();
		assertThat(this.page.evaluate("sessionStorage.getItem('plaidsync.ops.token')")).isNull();
	}

	@Test
	void anOperatorReEncryptsEveryTokenAfterConfirmingAndSeesTheRunAndTheAudit() {
		signIn(TOKEN);
		assertThat(this.page.locator("#token-keys")).containsText("encrypted with key k1");
		assertThat(this.page.locator("#token-keys")).containsText("Every stored token can be read.");

		this.page.locator("#token-reencrypt").click();
		assertThat(this.page.locator("#confirm")).isVisible();
		assertThat(this.page.locator("#confirm-title")).containsText("Re-encrypt every access token?");
		this.page.locator("#confirm-ok").click();

		Locator flash = this.page.locator("#flash");
		assertThat(flash).containsText("Re-encryption under key k1 started as execution");
		Matcher execution = Pattern.compile("execution (\\d+)").matcher(flash.textContent());
		assertThat(execution.find()).isTrue();
		assertThat(this.page.locator("#recent tr[data-execution='" + execution.group(1) + "']"))
			.containsText("COMPLETED", new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
		assertThat(this.page.locator("#audit")).containsText("re-encrypt tokens");
	}

	private void signIn(String token) {
		this.page.navigate("http://localhost:" + this.port + "/ops/");
		this.page.locator("#token").fill(token);
		this.page.locator("#operator").fill("console-test");
		this.page.locator("#signin-submit").click();
	}

	private long launchHoldingsSync(UUID user) {
		Map<String, Object> launched = http().post()
			.uri("/ops/jobs/holdingsSyncJob/launch")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"scope\":\"USER\",\"userId\":\"" + user + "\"}")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		return ((Number) launched.get("jobExecutionId")).longValue();
	}

	private Map<String, Object> execution(long id) {
		return http().get()
			.uri("/ops/executions/" + id)
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
	}

	private RestClient http() {
		return RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + TOKEN)
			.build();
	}

}
