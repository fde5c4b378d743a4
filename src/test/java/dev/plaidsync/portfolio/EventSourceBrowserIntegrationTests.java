package dev.plaidsync.portfolio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncRuns;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.ConsoleBrowser;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real {@code EventSource} in Chromium opens the stream with a ticket, as docs/api.md
 * shows, and hears {@code portfolio.updated} after a sync.
 */
@EngineIntegrationTest
class EventSourceBrowserIntegrationTests extends ConsoleBrowser {

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
	void anEventSourceOpenedWithATicketHearsPortfolioUpdatedAfterASync() {
		UserApiClient api = new UserApiClient(this.port);
		String subject = "browser-stream-" + UUID.randomUUID();
		String token = api.demoToken(subject);
		UUID user = this.users.idFor(subject);
		String item = TestItems.create(this.context, user, 1, "ins_900002", "browser-stream-" + user).get(0);

		this.page.navigate("http://localhost:" + this.port + "/api/portfolio");
		this.page.evaluate("""
				async (token) => {
				  window.received = [];
				  window.opened = false;
				  const answer = await fetch('/api/portfolio/stream-ticket',
				      { method: 'POST', headers: { Authorization: 'Bearer ' + token } });
				  const { ticket } = await answer.json();
				  const source = new EventSource('/api/portfolio/stream?ticket=' + encodeURIComponent(ticket));
				  source.addEventListener('connected', () => { window.opened = true; });
				  source.addEventListener('portfolio.updated', (event) => {
				    window.received.push({ id: event.lastEventId, document: JSON.parse(event.data) });
				  });
				}
				""", token);
		await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(this.page.evaluate("window.opened")));

		new SyncRuns(this.launcher, this.jdbc).runToCompletion(SyncJob.HOLDINGS, SyncScope.user(user),
				SyncOptions.interactive());

		await().atMost(Duration.ofSeconds(30))
			.until(() -> !((List<?>) this.page.evaluate("window.received")).isEmpty());
		Map<?, ?> first = (Map<?, ?>) ((List<?>) this.page.evaluate("window.received")).get(0);
		Map<?, ?> document = (Map<?, ?>) first.get("document");
		assertThat(document.get("type")).isEqualTo("portfolio.updated");
		Map<?, ?> data = (Map<?, ?>) document.get("data");
		assertThat(data.get("user_id")).isEqualTo(user.toString());
		assertThat(data.get("products")).isEqualTo(List.of("holdings"));
		assertThat(((List<?>) data.get("items")).stream()
			.map((entry) -> String.valueOf(((Map<?, ?>) entry).get("item_id")))).containsExactly(item);
		long seq = this.jdbc
			.sql("SELECT min(seq) FROM notification_events WHERE user_id = :u AND type = 'portfolio.updated'")
			.param("u", user)
			.query(Long.class)
			.single();
		assertThat(first.get("id")).isEqualTo(Long.toString(seq));
	}

}
