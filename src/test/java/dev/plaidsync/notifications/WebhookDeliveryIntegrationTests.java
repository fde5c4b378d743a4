package dev.plaidsync.notifications;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.plaidsync.items.ItemStatusChanges;
import dev.plaidsync.items.TestItems;
import dev.plaidsync.items.Users;
import dev.plaidsync.notifications.StandardWebhooksReceiver.Received;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncRuns;
import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outgoing events delivered over real HTTP to a real receiver that verifies every
 * signature with its own implementation of the Standard Webhooks specification. The one
 * context configuration of the notification tests: the engine is given the receiver's
 * URL, two secrets (a rotation in progress: the receiver still holds the old one) and
 * short timeouts and retry delays.
 */
@EngineIntegrationTest
class WebhookDeliveryIntegrationTests {

	private static final byte[] NEW_KEY = bytes(32, 7);

	private static final byte[] OLD_KEY = bytes(32, 91);

	private static final StandardWebhooksReceiver receiver = start();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Autowired
	ItemStatusChanges statusChanges;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	SyncLauncher launcher;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JsonMapper json;

	@DynamicPropertySource
	static void deliverToTheReceiver(DynamicPropertyRegistry properties) {
		properties.add("plaidsync.events.webhook.url", receiver::url);
		properties.add("plaidsync.events.webhook.secret", () -> secret(NEW_KEY) + " " + secret(OLD_KEY));
		properties.add("plaidsync.events.webhook.connect-timeout", () -> "1s");
		properties.add("plaidsync.events.webhook.read-timeout", () -> "1s");
		properties.add("plaidsync.events.webhook.initial-delay", () -> "100ms");
		properties.add("plaidsync.events.webhook.max-delay", () -> "500ms");
		properties.add("plaidsync.events.webhook.poll-interval", () -> "100ms");
	}

	@BeforeEach
	void aHealthyReceiver() {
		receiver.answer((n, body) -> 204);
	}

	@AfterAll
	static void stopTheReceiver() {
		receiver.close();
	}

	@Test
	void aReceiverThatFailsThenTimesOutThenRecoversGetsEveryEventOnceInEachUsersOrder() {
		// six 500s, then three requests held past the engine's 1 s read timeout, then
		// 204s
		receiver.answer((n, body) -> (n < 6) ? 500 : (n < 9) ? StandardWebhooksReceiver.HANG : 204);
		List<UUID> users = new ArrayList<>();
		Map<UUID, String> items = new LinkedHashMap<>();
		for (int u = 0; u < 3; u++) {
			UUID user = this.users.idFor("delivery-order-" + UUID.randomUUID());
			users.add(user);
			items.put(user,
					TestItems.create(this.context, user, 1, "ins_900001", "delivery-" + UUID.randomUUID()).get(0));
		}
		double failedBefore = counter("failed_attempt");
		// six status changes per user, users interleaved (no repair: that would start a
		// sync, whose events would come in between)
		for (int round = 0; round < 3; round++) {
			for (UUID user : users) {
				String item = items.get(user);
				int r = round;
				this.transaction.executeWithoutResult(
						(status) -> this.statusChanges.needsUser(item, "ITEM_LOGIN_REQUIRED_" + r, "login changed"));
				this.transaction
					.executeWithoutResult((status) -> this.statusChanges.broken(item, "ITEM_NOT_FOUND_" + r, "gone"));
			}
		}

		await().atMost(Duration.ofSeconds(90))
			.until(() -> users.stream().allMatch((user) -> pending(user) == 0 && events(user).size() == 6));

		List<Received> received = receiver.received();
		for (UUID user : users) {
			List<Event> events = events(user);
			assertThat(events).extracting(Event::delivery).containsOnly("DELIVERED");
			List<String> ids = events.stream().map(Event::messageId).toList();
			List<Received> mine = received.stream().filter((request) -> ids.contains(request.messageId())).toList();
			assertThat(mine).as("every request verifies with the receiver's (old) secret").allMatch(Received::verified);
			assertThat(mine).as("and with the new one: the engine signs with both")
				.allMatch((request) -> StandardWebhooksReceiver.verifies(NEW_KEY, request.messageId(),
						request.timestamp(), request.signature(), request.body()));
			assertThat(mine).allSatisfy((request) -> assertThat(request.signature().split(" ")).hasSize(2)
				.allMatch((s) -> s.startsWith("v1,")));
			// nothing lost, nothing twice, in the user's order
			assertThat(mine.stream().filter(Received::accepted).map(Received::messageId))
				.containsExactlyElementsOf(ids);
			List<Integer> arrivalOrder = mine.stream().map((request) -> ids.indexOf(request.messageId())).toList();
			assertThat(arrivalOrder).as("a user's next event waits for the earlier one").isSorted();
			JsonNode first = this.json.readTree(mine.get(0).body());
			assertThat(first.propertyNames()).containsExactly("type", "timestamp", "data");
			assertThat(first.get("type").asString()).isEqualTo("item.status_changed");
			assertThat(first.get("data").get("user_id").asString()).isEqualTo(user.toString());
		}
		List<Attempt> attempts = this.jdbc.sql("""
				SELECT d.http_status, d.error, d.latency_ms FROM notification_deliveries d
				JOIN notification_events e ON e.id = d.event_id WHERE e.user_id IN (:users)
				""").param("users", users).query(Attempt.class).list();
		assertThat(attempts).filteredOn((attempt) -> Integer.valueOf(500).equals(attempt.httpStatus())).hasSize(6);
		assertThat(attempts).filteredOn((attempt) -> "read timeout".equals(attempt.error()))
			.hasSize(3)
			.allMatch((attempt) -> attempt.latencyMs() >= 900);
		assertThat(counter("failed_attempt") - failedBefore).isEqualTo(9);
	}

	@Test
	void anEventFailingPastGiveUpIsFailedTheNextGoesOutAndAnOperatorReplaysIt() throws Exception {
		AtomicBoolean recovered = new AtomicBoolean();
		receiver
			.answer((n, body) -> (body.contains("INSTITUTION_NO_LONGER_SUPPORTED") && !recovered.get()) ? 503 : 204);
		UUID user = this.users.idFor("delivery-giveup-" + UUID.randomUUID());
		String item = TestItems.create(this.context, user, 1, "ins_900001", "giveup-" + UUID.randomUUID()).get(0);
		double gaveUpBefore = counter("gave_up");
		this.transaction.executeWithoutResult(
				(status) -> this.statusChanges.broken(item, "INSTITUTION_NO_LONGER_SUPPORTED", "closed"));
		this.transaction
			.executeWithoutResult((status) -> this.statusChanges.needsUser(item, "ITEM_LOGIN_REQUIRED", "login"));
		await().atMost(Duration.ofSeconds(30)).until(() -> events(user).get(0).attempts() >= 2);
		assertThat(events(user).get(1).delivery()).as("the next event waits for the failing one").isEqualTo("PENDING");

		// a day passes: the first attempt was 25 hours ago
		this.jdbc.sql("UPDATE notification_events SET first_attempt_at = now() - interval '25 hours' WHERE id = :id")
			.param("id", events(user).get(0).id())
			.update();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> events(user).stream().map(Event::delivery).toList().equals(List.of("FAILED", "DELIVERED")));
		assertThat(counter("gave_up") - gaveUpBefore).isEqualTo(1);
		long failed = events(user).get(0).id();

		HttpResponse<String> listed = ops("GET", "/ops/notifications/events?state=failed&user=" + user, null);
		assertThat(listed.statusCode()).isEqualTo(200);
		assertThat(listed.headers().firstValue("X-Total-Count")).contains("1");
		JsonNode row = this.json.readTree(listed.body()).get(0);
		assertThat(row.get("id").asLong()).isEqualTo(failed);
		assertThat(row.get("lastHttpStatus").asInt()).isEqualTo(503);
		HttpResponse<String> attempts = ops("GET", "/ops/notifications/events/" + failed + "/attempts", null);
		assertThat(this.json.readTree(attempts.body()).valueStream().map((a) -> a.get("httpStatus").asInt()))
			.isNotEmpty()
			.containsOnly(503);

		recovered.set(true);
		HttpResponse<String> replayed = ops("POST", "/ops/notifications/events/" + failed + "/replay", "");
		assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
		assertThat(this.json.readTree(replayed.body()).get("replayed").asInt()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(30)).until(() -> events(user).get(0).delivery().equals("DELIVERED"));
		String messageId = events(user).get(0).messageId();
		assertThat(receiver.received()).filteredOn((request) -> request.messageId().equals(messageId))
			.last()
			.matches(Received::accepted);
		assertThat(this.jdbc.sql(
				"SELECT count(*) FROM ops_audit WHERE action = 'replay event' AND target = :target AND result = 'DONE'")
			.param("target", "event " + failed)
			.query(Long.class)
			.single()).isEqualTo(1);

		HttpResponse<String> since = ops("POST", "/ops/notifications/replay",
				"{\"failed_since\": \"2020-01-01T00:00:00Z\"}");
		assertThat(since.statusCode()).as(since.body()).isEqualTo(200);
	}

	@Test
	void badOperatorInputIsAPreciseProblem() throws Exception {
		assertProblem(ops("GET", "/ops/notifications/events?state=LOST", null), 400, "state must be one of");
		assertProblem(ops("GET", "/ops/notifications/events?user=bob", null), 400, "user must be a user id");
		assertProblem(ops("POST", "/ops/notifications/replay", "{\"failed_since\": \"yesterday\"}"), 400,
				"failed_since must be an ISO-8601 time");
		assertProblem(ops("POST", "/ops/notifications/replay", "{}"), 400, "failed_since");
		assertProblem(ops("POST", "/ops/notifications/events/987654321/replay", ""), 404, "does not exist");
		HttpResponse<String> anonymous = send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/ops/notifications/events/1/replay"))
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(anonymous.statusCode()).isEqualTo(401);
	}

	@Test
	void aSyncWhileTheEndpointHangsCompletesAndItsEventGoesOutOnceTheEndpointAnswers() {
		receiver.answer((n, body) -> StandardWebhooksReceiver.HANG);
		UUID user = this.users.idFor("delivery-hang-" + UUID.randomUUID());
		TestItems.create(this.context, user, 2, "ins_900003", "hang-" + UUID.randomUUID());

		new SyncRuns(this.launcher, this.jdbc).runToCompletion(SyncJob.HOLDINGS, SyncScope.user(user),
				SyncOptions.interactive());
		assertThat(events(user)).isNotEmpty().extracting(Event::type).containsOnly("portfolio.updated");

		receiver.answer((n, body) -> 204);
		await().atMost(Duration.ofSeconds(60)).until(() -> pending(user) == 0);
		assertThat(events(user)).extracting(Event::delivery).containsOnly("DELIVERED");
	}

	private void assertProblem(HttpResponse<String> response, int status, String message) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains(message);
	}

	private HttpResponse<String> ops(String method, String path, String body) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Authorization", "Bearer test-ops-token")
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private double counter(String outcome) {
		return this.meters.get("plaidsync.notifications.deliveries").tag("outcome", outcome).counter().count();
	}

	private long pending(UUID user) {
		return this.jdbc.sql("SELECT count(*) FROM notification_events WHERE user_id = :user AND delivery = 'PENDING'")
			.param("user", user)
			.query(Long.class)
			.single();
	}

	private List<Event> events(UUID user) {
		return this.jdbc.sql("""
				SELECT id, seq, type, message_id, delivery, attempts FROM notification_events
				WHERE user_id = :user ORDER BY seq
				""").param("user", user).query(Event.class).list();
	}

	private static StandardWebhooksReceiver start() {
		try {
			return new StandardWebhooksReceiver(secret(OLD_KEY));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String secret(byte[] key) {
		return "whsec_" + Base64.getEncoder().encodeToString(key);
	}

	private static byte[] bytes(int length, int seed) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) (seed + i * 13);
		}
		return bytes;
	}

	record Event(long id, long seq, String type, String messageId, String delivery, int attempts) {
	}

	record Attempt(Integer httpStatus, String error, long latencyMs) {
	}

}
