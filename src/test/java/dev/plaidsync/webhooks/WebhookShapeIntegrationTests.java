package dev.plaidsync.webhooks;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.plaidsync.common.PageRequest;
import dev.plaidsync.items.ItemLinking;
import dev.plaidsync.items.Users;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.webhooks.WebhookPoster.Answer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.plaidsync.webhooks.WebhookPoster.plaidBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Verified webhooks whose fields are not of Plaid's shape (issue 26): answered 400 naming
 * the field, kept for operators as IGNORED events with the reason, and never dispatched.
 * Signed by the simulator as Plaid signs, posted over real HTTP.
 */
@EngineIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookShapeIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Autowired
	PlaidGateway gateway;

	@Autowired
	ItemLinking linking;

	@Autowired
	Users users;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WebhookEvents events;

	WebhookPoster poster;

	String itemId;

	@BeforeAll
	void linkAnItem() {
		this.poster = new WebhookPoster("http://localhost:" + this.port);
		UUID userId = this.users.idFor("webhook-shape-" + UUID.randomUUID());
		String publicToken = this.gateway.createSandboxPublicToken("ins_900001", "user_shape").getPublicToken();
		this.itemId = ((ItemLinking.Linked) this.linking.link(userId, publicToken)).item().itemId();
		await().atMost(Duration.ofSeconds(60)).until(() -> runningExecutions() == 0 && executions() > 0);
	}

	@Test
	void aFiftyKilobyteItemIdIsRefusedKeptForOperatorsAndNotStoredAsAnEvent() {
		String huge = "a".repeat(50 * 1024);
		Answer answer = postSigned(holdings(huge, 1));
		assertInvalid(answer, "item_id");
		WebhookEvent kept = kept(answer);
		assertThat(kept.status()).isEqualTo("IGNORED");
		assertThat(kept.statusReason()).startsWith("invalid: item_id").contains("51200 characters");
		assertThat(kept.itemId()).hasSize(64);
		assertThat(kept.jobExecutionId()).isNull();
		assertThat(this.events.recent("IGNORED", PageRequest.of(0, 100)).items()).extracting(WebhookEvent::id)
			.contains(kept.id());
		assertThat(this.jdbc.sql("SELECT count(*) FROM plaid_webhook_events WHERE length(item_id) > 64")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void wrongTypesForPlaidsFieldsAreRefusedNamingTheFieldAndNeverDispatched() {
		long before = executions();
		Map<String, byte[]> bodies = Map.of("webhook_code",
				plaidBody("environment", "sandbox", "error", null, "item_id", this.itemId, "new_holdings", 1,
						"updated_holdings", 0, "webhook_code", 42, "webhook_type", "HOLDINGS"),
				"new_holdings", holdingsWith("new_holdings", "many"), "updated_holdings",
				holdingsWith("updated_holdings", -1), "error",
				plaidBody("environment", "sandbox", "error", "boom", "item_id", this.itemId, "new_holdings", 1,
						"updated_holdings", 0, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS"),
				"error.error_code",
				plaidBody("environment", "sandbox", "error", Map.of("error_code", 7), "item_id", this.itemId,
						"webhook_code", "ERROR", "webhook_type", "ITEM"),
				"webhook_type", plaidBody("environment", "sandbox", "item_id", this.itemId, "webhook_code",
						"DEFAULT_UPDATE", "webhook_type", "holdings; DROP TABLE"));
		bodies.forEach((field, body) -> {
			Answer answer = postSigned(body);
			assertInvalid(answer, field);
			WebhookEvent kept = kept(answer);
			assertThat(kept.status()).as(field).isEqualTo("IGNORED");
			assertThat(kept.statusReason()).as(field).startsWith("invalid: " + field);
		});
		// the same item's well-formed webhook is stored and dispatched: the shape, not
		// the item, was refused
		Answer valid = postSigned(holdings(this.itemId, 2));
		assertThat(valid.status()).as(valid.body().toString()).isEqualTo(200);
		assertThat(valid.body().path("status").asString()).isEqualTo("RECEIVED");
		await().atMost(Duration.ofSeconds(30)).until(() -> executions() == before + 1);
		await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> executions() == before + 1);
	}

	private WebhookEvent kept(Answer answer) {
		String message = answer.body().path("message").asString();
		String id = message.substring(message.lastIndexOf("kept as event ") + "kept as event ".length()).trim();
		return this.events.find(UUID.fromString(id)).orElseThrow();
	}

	private static void assertInvalid(Answer answer, String field) {
		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
		assertThat(answer.error()).isEqualTo("invalid_webhook");
		assertThat(answer.body().path("message").asString()).as(field)
			.contains(field)
			.doesNotContain("Exception")
			.hasSizeLessThan(400);
	}

	private Answer postSigned(byte[] body) {
		return this.poster.post(body, this.simulator.signWebhook(body).verification());
	}

	private byte[] holdingsWith(String field, Object value) {
		return plaidBody("environment", "sandbox", "error", null, "item_id", this.itemId, "new_holdings",
				"new_holdings".equals(field) ? value : 1, "updated_holdings",
				"updated_holdings".equals(field) ? value : 0, "webhook_code", "DEFAULT_UPDATE", "webhook_type",
				"HOLDINGS");
	}

	private static byte[] holdings(String itemId, int newHoldings) {
		return plaidBody("environment", "sandbox", "error", null, "item_id", itemId, "new_holdings", newHoldings,
				"updated_holdings", 0, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS");
	}

	private long executions() {
		return this.jdbc.sql("""
				SELECT count(*) FROM batch_job_execution_params
				WHERE parameter_name = 'itemId' AND parameter_value = :itemId
				""").param("itemId", this.itemId).query(Long.class).single();
	}

	private long runningExecutions() {
		return this.jdbc.sql("SELECT count(*) FROM sync_requests WHERE scope_key = 'ITEM:' || :itemId")
			.param("itemId", this.itemId)
			.query(Long.class)
			.single();
	}

}
