package dev.plaidsync.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The operator console's browser for tests: Debian's Chromium, headless, driven by
 * Playwright; one browser per test class and a fresh tab (its own session storage) per
 * test. Skips, saying how to install it, where no Chromium is installed; {@code .ci/run}
 * installs it.
 */
public abstract class ConsoleBrowser {

	private static final List<Path> CHROMIUM = List.of(Paths.get("/usr/lib/chromium/chromium"),
			Paths.get("/usr/bin/chromium"));

	private static Playwright playwright;

	private static Browser browser;

	protected BrowserContext browserContext;

	protected Page page;

	@BeforeAll
	static void launchChromium() {
		Path chromium = CHROMIUM.stream().filter(Files::isExecutable).findFirst().orElse(null);
		assumeTrue(chromium != null, "Skipped: no Chromium at " + CHROMIUM + ". Install it with "
				+ "`apt-get install --no-install-recommends chromium` (as .ci/run does) to run the console's browser tests.");
		playwright = Playwright
			.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
		browser = playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
				.setHeadless(true)
				.setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
						"--disable-component-update", "--disable-sync", "--no-first-run")));
		PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
	}

	@AfterAll
	static void closeChromium() {
		if (browser != null) {
			browser.close();
			browser = null;
		}
		if (playwright != null) {
			playwright.close();
			playwright = null;
		}
	}

	@BeforeEach
	void openABrowserTab() {
		openTab(new Browser.NewContextOptions().setViewportSize(1280, 900));
	}

	@AfterEach
	void closeTheTab() {
		if (this.browserContext != null) {
			this.browserContext.close();
			this.browserContext = null;
		}
	}

	/**
	 * Replaces the current tab with one opened with these options (a phone's screen,
	 * say).
	 */
	protected void openTab(Browser.NewContextOptions options) {
		closeTheTab();
		this.browserContext = browser.newContext(options);
		this.page = this.browserContext.newPage();
	}

}
