package dev.plaidsync.portfolio;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event stream as a browser's {@code EventSource} opens it, over real HTTP: a
 * single-use ticket instead of the Authorization header, events whose id is the outbox
 * seq, resumes with no gap and no duplicate, a reset from too far back, and precise
 * refusals.
 */
@EngineIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class BrowserStreamIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	Users users;

	@Autowired
	ItemStatusChanges statusChanges;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Test
	void aClientThatReconnectsWithANewTicketGetsWhatItMissedOnceInOrderThenLiveEvents(CapturedOutput output)
			throws Exception {
		UserApiClient api = new UserApiClient(this.port);
		String subject = "stream-resume-" + UUID.randomUUID();
		String token = api.demoToken(subject);
		UUID user = this.users.idFor(subject);
		String item = TestItems.create(this.context, user, 1, "ins_900001", "stream-" + user).get(0);

		String firstTicket = ticket(api, token);
		long seen;
		try (UserApiClient.EventStream stream = api.stream("/api/portfolio/stream?ticket=" + firstTicket, Map.of())) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(ServerSentEvents.next(stream, WAIT).name()).isEqualTo("connected");
			this.statusChanges.needsUser(item, "ITEM_LOGIN_REQUIRED", "the login changed");
			ServerSentEvents.Event live = ServerSentEvents.next(stream, WAIT);
			assertThat(live.name()).isEqualTo("item.status_changed");
			JsonNode document = this.json.readTree(live.data());
			assertThat(document.get("type").asString()).isEqualTo("item.status_changed");
			assertThat(document.get("timestamp").asString()).isNotBlank();
			assertThat(document.get("data").get("item_id").asString()).isEqualTo(item);
			assertThat(document.get("data").get("status").asString()).isEqualTo("NEEDS_USER");
			assertThat(document.get("data").get("user_id").asString()).isEqualTo(user.toString());
			seen = Long.parseLong(live.id());
			assertThat(seen).isEqualTo(storedSeqs(user).get(storedSeqs(user).size() - 1));
		}
		// while the client is away
		this.statusChanges.reactivate(item);
		this.statusChanges.broken(item, "INSTITUTION_NOT_RESPONDING", "down");

		try (UserApiClient.EventStream stream = api
			.stream("/api/portfolio/stream?ticket=" + ticket(api, token) + "&last_event_id=" + seen, Map.of())) {
			assertThat(stream.status()).isEqualTo(200);
			ServerSentEvents.Event connected = ServerSentEvents.next(stream, WAIT);
			assertThat(connected.name()).isEqualTo("connected");
			List<ServerSentEvents.Event> received = new java.util.ArrayList<>();
			while (statuses(received).size() < 2) {
				received.add(ServerSentEvents.next(stream, WAIT));
			}
			assertThat(statuses(received)).containsExactly("ACTIVE", "BROKEN");
			this.statusChanges.reactivate(item);
			while (statuses(received).size() < 3) {
				received.add(ServerSentEvents.next(stream, WAIT));
			}
			received.addAll(ServerSentEvents.during(stream, Duration.ofSeconds(2)));
			assertThat(received).extracting((event) -> Long.parseLong(event.id()))
				.as("every event after %d once, in order", seen)
				.containsExactlyElementsOf(
						java.util.stream.LongStream.rangeClosed(seen + 1, seen + received.size()).boxed().toList());
			assertThat(storedSeqs(user)).endsWith(seen + received.size());
		}

		// the header-authenticated stream resumes from the Last-Event-ID header as well
		try (UserApiClient.EventStream stream = api.stream("/api/portfolio/stream",
				Map.of("Authorization", "Bearer " + token, "Last-Event-ID", Long.toString(seen)))) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(ServerSentEvents.next(stream, WAIT).name()).isEqualTo("connected");
			assertThat(ServerSentEvents.next(stream, WAIT).id()).isEqualTo(Long.toString(seen + 1));
			assertThat(ServerSentEvents.next(stream, WAIT).id()).isEqualTo(Long.toString(seen + 2));
		}
		assertThat(output.getAll()).as("tickets never reach the logs").doesNotContain(firstTicket);
	}

	@Test
	void aResumeFromFurtherBackThanTheReplayWindowSaysResetThenGoesOnLive() throws Exception {
		UserApiClient api = new UserApiClient(this.port);
		String subject = "stream-stale-" + UUID.randomUUID();
		String token = api.demoToken(subject);
		UUID user = this.users.idFor(subject);
		String item = TestItems.create(this.context, user, 1, "ins_900001", "stream-stale-" + user).get(0);
		this.statusChanges.needsUser(item, "ITEM_LOGIN_REQUIRED", "the login changed");
		this.statusChanges.reactivate(item);
		this.statusChanges.broken(item, "INSTITUTION_NOT_RESPONDING", "down");
		List<Long> seqs = storedSeqs(user);
		this.jdbc.sql("UPDATE notification_events SET occurred_at = now() - interval '25 hours' WHERE user_id = :u")
			.param("u", user)
			.update();
		long head = seqs.get(seqs.size() - 1);

		try (UserApiClient.EventStream stream = api
			.stream("/api/portfolio/stream?ticket=" + ticket(api, token) + "&last_event_id=" + seqs.get(0), Map.of())) {
			assertThat(ServerSentEvents.next(stream, WAIT).name()).isEqualTo("connected");
			ServerSentEvents.Event reset = ServerSentEvents.next(stream, WAIT);
			assertThat(reset.name()).isEqualTo("reset");
			assertThat(reset.id()).isEqualTo(Long.toString(head));
			JsonNode data = this.json.readTree(reset.data());
			assertThat(data.get("last_event_id").asLong()).isEqualTo(head);
			assertThat(data.get("message").asString()).contains("reload");
			this.statusChanges.reactivate(item);
			ServerSentEvents.Event live = ServerSentEvents.next(stream, WAIT);
			assertThat(live.name()).isEqualTo("item.status_changed");
			assertThat(live.id()).isEqualTo(Long.toString(head + 1));
		}

		// an id this user's stream never sent is too far back as well
		try (UserApiClient.EventStream stream = api
			.stream("/api/portfolio/stream?ticket=" + ticket(api, token) + "&last_event_id=999999", Map.of())) {
			assertThat(ServerSentEvents.next(stream, WAIT).name()).isEqualTo("connected");
			assertThat(ServerSentEvents.next(stream, WAIT).name()).isEqualTo("reset");
		}
	}

	@Test
	void aBadExpiredOrReusedTicketIsA401ThatSaysToAskForANewOne() throws Exception {
		UserApiClient api = new UserApiClient(this.port);
		String subject = "stream-ticket-" + UUID.randomUUID();
		String token = api.demoToken(subject);
		UUID user = this.users.idFor(subject);

		assertNewTicketNeeded(api.get("/api/portfolio/stream?ticket=not-a-ticket", null));

		String used = ticket(api, token);
		try (UserApiClient.EventStream stream = api.stream("/api/portfolio/stream?ticket=" + used, Map.of())) {
			assertThat(stream.status()).isEqualTo(200);
		}
		assertNewTicketNeeded(api.get("/api/portfolio/stream?ticket=" + used, null));

		String expired = ticket(api, token);
		this.jdbc
			.sql("UPDATE stream_tickets SET expires_at = clock_timestamp() - interval '1 second' WHERE user_id = :u")
			.param("u", user)
			.update();
		assertNewTicketNeeded(api.get("/api/portfolio/stream?ticket=" + expired, null));

		// a ticket opens the stream and nothing else
		UserApiClient.Answer elsewhere = api.get("/api/portfolio?ticket=" + ticket(api, token), null).expect(401);
		assertThat(elsewhere.body().get("error").asString()).isEqualTo("missing_token");

		UserApiClient.Answer both = api.send("GET", "/api/portfolio/stream?ticket=" + ticket(api, token), token, null,
				null);
		both.expect(400);
		assertThat(both.body().get("error").asString()).isEqualTo("ambiguous_credentials");

		UserApiClient.Answer malformed = api
			.get("/api/portfolio/stream?ticket=" + ticket(api, token) + "&last_event_id=yesterday", null)
			.expect(400);
		assertThat(malformed.body().get("error").asString()).isEqualTo("invalid_last_event_id");
		assertThat(malformed.body().get("detail").asString()).contains("a whole number such as 42");
	}

	private static void assertNewTicketNeeded(UserApiClient.Answer answer) {
		answer.expect(401);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(answer.body().get("error").asString()).isEqualTo("invalid_ticket");
		assertThat(answer.body().get("detail").asString()).contains("POST /api/portfolio/stream-ticket");
	}

	private static String ticket(UserApiClient api, String token) {
		JsonNode answer = api.post("/api/portfolio/stream-ticket", token, null).expect(200).body();
		assertThat(answer.get("expires_in_seconds").asLong()).isEqualTo(60);
		return answer.get("ticket").asString();
	}

	private List<String> statuses(List<ServerSentEvents.Event> events) {
		return events.stream()
			.filter((event) -> event.name().equals("item.status_changed"))
			.map((event) -> this.json.readTree(event.data()).get("data").get("status").asString())
			.toList();
	}

	private List<Long> storedSeqs(UUID user) {
		return this.jdbc.sql("SELECT seq FROM notification_events WHERE user_id = :u ORDER BY seq")
			.param("u", user)
			.query(Long.class)
			.list();
	}

}
