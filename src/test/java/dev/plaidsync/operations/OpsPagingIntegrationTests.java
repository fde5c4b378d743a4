package dev.plaidsync.operations;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.plaidsync.items.Users;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code /ops} list answers one page and the total (issue 15): seeded rows come
 * back page by page, pages do not overlap, the total matches the table, and a bad page or
 * size is a 400 that says what is allowed.
 */
@EngineIntegrationTest
class OpsPagingIntegrationTests {

	private static final String TOKEN = "test-ops-token";

	/** The lists whose body is the page; the total is in X-Total-Count. */
	private static final List<String> LIST_BODIES = List.of("/ops/items/attention", "/ops/webhooks/unknown-items",
			"/ops/audit", "/ops/items/retries", "/ops/webhooks/events", "/ops/executions");

	/** The lists whose body is an object holding the page. */
	private static final List<String> OBJECT_BODIES = List.of("/ops/items/unreadable-tokens", "/ops/webhooks/retrying",
			"/ops/reconciliation", "/ops/freshness");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Users users;

	@Autowired
	ObjectMapper json;

	RestClient http;

	@BeforeEach
	void setUp() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader("Authorization", "Bearer " + TOKEN)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	/**
	 * What a test here seeded goes, so that other test classes sharing this engine and
	 * database never see it.
	 */
	@AfterEach
	void removeWhatWasSeeded() {
		this.jdbc.sql("DELETE FROM plaid_items WHERE item_id LIKE 'paging-%'").update();
		this.jdbc.sql("DELETE FROM plaid_webhook_events WHERE item_id LIKE 'paging-%'").update();
		this.jdbc.sql("DELETE FROM sync_item_retries WHERE item_id LIKE 'paging-%'").update();
		this.jdbc.sql("DELETE FROM ops_audit WHERE actor LIKE 'paging-%'").update();
	}

	@Test
	void itemsNeedingAttentionComePageByPageWithTheirTotal() {
		UUID user = this.users.idFor("paging-attention-" + UUID.randomUUID());
		for (int i = 0; i < 7; i++) {
			insertItem(user, "paging-attention-" + user + "-" + i, "NEEDS_USER", "k1");
		}
		long expected = count(
				"""
						SELECT count(*) FROM plaid_items WHERE status IN ('NEEDS_USER', 'REVOKED', 'BROKEN')
						   OR (status = 'ACTIVE' AND (consent_expiration_at IS NOT NULL OR pending_disconnect_at IS NOT NULL))""");

		List<String> seen = walk("/ops/items/attention", 3, expected, (row) -> row.path("item_id").asString());

		assertThat(seen).hasSize((int) expected)
			.doesNotHaveDuplicates()
			.contains("paging-attention-" + user + "-0", "paging-attention-" + user + "-6");
		JsonNode first = get("/ops/items/attention?size=500").getBody();
		assertThat(first.get(0).has("status_reason")).as("rows keep their snake_case fields").isTrue();
	}

	@Test
	void unknownItemEventsAndEventsOfAStatusComePageByPageWithTheirTotal() {
		String marker = "paging-unknown-" + UUID.randomUUID();
		for (int i = 0; i < 5; i++) {
			this.jdbc
				.sql("""
						INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, status, verification, body_sha256,
						    created_at)
						VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :item, 'UNKNOWN_ITEM', 'VERIFIED', :sha, now() - make_interval(secs => :i))
						""")
				.param("item", marker + "-" + i)
				.param("sha", marker + i)
				.param("i", i)
				.update();
		}
		long unknown = count("SELECT count(*) FROM plaid_webhook_events WHERE status = 'UNKNOWN_ITEM'");

		List<String> seen = walk("/ops/webhooks/unknown-items", 2, unknown, (row) -> row.path("itemId").asString());
		assertThat(seen).contains(marker + "-0", marker + "-4").doesNotHaveDuplicates();
		assertThat(seen.indexOf(marker + "-0")).as("newest first").isLessThan(seen.indexOf(marker + "-4"));

		List<String> sameStatus = walk("/ops/webhooks/events?status=UNKNOWN_ITEM", 2, unknown,
				(row) -> row.path("itemId").asString());
		assertThat(sameStatus).isEqualTo(seen);
		ResponseEntity<JsonNode> any = get("/ops/webhooks/events?size=1");
		assertThat(total(any)).isEqualTo(Math.min(10_000, count("SELECT count(*) FROM plaid_webhook_events")));
	}

	@Test
	void theAuditTrailAndItemRetriesComePageByPageWithTheirTotal() {
		String actor = "paging-" + UUID.randomUUID();
		for (int i = 0; i < 6; i++) {
			this.jdbc
				.sql("INSERT INTO ops_audit (actor, action, target, result) VALUES (:actor, 'launch', :target, 'OK')")
				.param("actor", actor)
				.param("target", "t" + i)
				.update();
			this.jdbc.sql("""
					INSERT INTO sync_item_retries (job_name, item_id, institution_id, attempts, due_at)
					VALUES ('holdingsSyncJob', :item, :institution, 1, now() + interval '1 day')
					""").param("item", actor + "-" + i).param("institution", actor + "-ins-" + (i % 3)).update();
		}
		List<String> audit = walk("/ops/audit", 4, count("SELECT count(*) FROM ops_audit"),
				(row) -> row.path("id").asString());
		assertThat(audit).doesNotHaveDuplicates();

		long groups = count(
				"SELECT count(*) FROM (SELECT 1 FROM sync_item_retries GROUP BY coalesce(institution_id, 'unknown'), job_name) g");
		List<String> retries = walk("/ops/items/retries", 2, groups,
				(row) -> row.path("institutionId").asString() + "/" + row.path("jobName").asString());
		assertThat(retries).contains(actor + "-ins-0/holdingsSyncJob", actor + "-ins-2/holdingsSyncJob");
	}

	@Test
	void listsWhoseBodyIsAnObjectCarryThePageAndItsTotal() {
		UUID user = this.users.idFor("paging-tokens-" + UUID.randomUUID());
		for (int i = 0; i < 3; i++) {
			insertItem(user, "paging-token-" + user + "-" + i, "ACTIVE", "retired-" + user);
		}
		long unreadable = get("/ops/items/unreadable-tokens?size=1").getBody().path("total").asLong();
		assertThat(unreadable).as("at least the three seeded").isGreaterThanOrEqualTo(3);
		Set<String> items = new HashSet<>();
		for (int page = 0; page * 2 < unreadable; page++) {
			ResponseEntity<JsonNode> answer = get("/ops/items/unreadable-tokens?size=2&page=" + page);
			assertThat(answer.getStatusCode().value()).isEqualTo(200);
			assertThat(answer.getBody().path("total").asLong()).isEqualTo(unreadable);
			assertThat(total(answer)).isEqualTo(unreadable);
			answer.getBody()
				.path("items")
				.forEach((row) -> assertThat(items.add(row.path("item_id").asString())).isTrue());
		}
		assertThat(items).hasSize((int) unreadable).contains("paging-token-" + user + "-2");

		for (int i = 0; i < 3; i++) {
			this.jdbc
				.sql("""
						INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, status, verification, body_sha256,
						    next_attempt_at, retries)
						VALUES ('HOLDINGS', 'DEFAULT_UPDATE', :item, 'RECEIVED', 'VERIFIED', :item, now() + interval '1 day', 1)
						""")
				.param("item", "paging-retrying-" + user + "-" + i)
				.update();
		}
		long retrying = count(
				"SELECT count(*) FROM plaid_webhook_events WHERE status = 'RECEIVED' AND next_attempt_at IS NOT NULL");
		ResponseEntity<JsonNode> retries = get("/ops/webhooks/retrying?size=2");
		assertThat(retries.getBody().path("count").asLong()).isEqualTo(retrying);
		assertThat(total(retries)).isEqualTo(retrying);
		assertThat(retries.getBody().path("events").size()).isEqualTo(2);

		ResponseEntity<JsonNode> reconciliation = get("/ops/reconciliation?page=0&size=5");
		assertThat(reconciliation.getStatusCode().value()).isEqualTo(200);
		assertThat(total(reconciliation)).isEqualTo(reconciliation.getBody().path("accounts_with_breaks").asLong());
	}

	@ParameterizedTest
	@ValueSource(strings = { "/ops/items/attention", "/ops/webhooks/unknown-items", "/ops/audit", "/ops/items/retries",
			"/ops/webhooks/events", "/ops/executions", "/ops/items/unreadable-tokens", "/ops/webhooks/retrying",
			"/ops/reconciliation", "/ops/freshness" })
	void aBadPageOrSizeIsRefusedWithWhatIsAllowed(String path) {
		assertRefused(path + "?page=-1", "page must be 0 or more");
		assertRefused(path + "?size=0", "size must be between 1 and 500");
		assertRefused(path + "?size=501", "size must be between 1 and 500");
		assertRefused(path + "?page=abc", "page must be a whole number, not 'abc'");
		assertRefused(path + "?size=99999999999", "size must be a whole number");
		assertThat(get(path + "?page=100000&size=500").getStatusCode().value())
			.as("a page past the end is empty, not an error")
			.isEqualTo(200);
	}

	@Test
	void everyListNamesItsTotal() {
		for (String path : LIST_BODIES) {
			ResponseEntity<JsonNode> answer = get(path + "?size=1");
			assertThat(answer.getStatusCode().value()).as(path).isEqualTo(200);
			assertThat(answer.getBody().isArray()).as(path).isTrue();
			assertThat(answer.getHeaders().getFirst("X-Total-Count")).as(path).isNotNull();
			assertThat(answer.getHeaders().getFirst("X-Total-Count-Exact")).as(path).isNotNull();
		}
		for (String path : OBJECT_BODIES) {
			ResponseEntity<JsonNode> answer = get(path + "?size=1");
			assertThat(answer.getStatusCode().value()).as(path).isEqualTo(200);
			assertThat(answer.getBody().isObject()).as(path).isTrue();
		}
	}

	private void assertRefused(String path, String message) {
		ResponseEntity<JsonNode> answer = get(path);
		assertThat(answer.getStatusCode().value()).as(path + " answered " + answer.getBody()).isEqualTo(400);
		assertThat(answer.getBody().path("message").asString()).as(path).contains(message);
		assertThat(answer.getBody().toString()).as(path).doesNotContain("Exception");
	}

	/**
	 * Reads every page of a list and checks each names the same total and holds at most
	 * {@code size} rows.
	 */
	private List<String> walk(String path, int size, long expectedTotal,
			java.util.function.Function<JsonNode, String> key) {
		List<String> seen = new ArrayList<>();
		String separator = path.contains("?") ? "&" : "?";
		for (int page = 0; page * size < expectedTotal; page++) {
			ResponseEntity<JsonNode> answer = get(path + separator + "size=" + size + "&page=" + page);
			assertThat(answer.getStatusCode().value()).as(path).isEqualTo(200);
			assertThat(total(answer)).as(path + " total").isEqualTo(Math.min(expectedTotal, 10_000));
			assertThat(answer.getBody().size()).as(path + " page " + page).isBetween(1, size);
			answer.getBody().forEach((row) -> seen.add(key.apply(row)));
		}
		ResponseEntity<JsonNode> past = get(path + separator + "size=" + size + "&page=" + (expectedTotal / size + 1));
		assertThat(past.getBody().size()).as(path + " past the end").isZero();
		return seen;
	}

	private static long total(ResponseEntity<JsonNode> answer) {
		return Long.parseLong(answer.getHeaders().getFirst("X-Total-Count"));
	}

	private ResponseEntity<JsonNode> get(String path) {
		ResponseEntity<String> raw = this.http.get().uri(path).retrieve().toEntity(String.class);
		return new ResponseEntity<>(this.json.readTree(raw.getBody()), raw.getHeaders(), raw.getStatusCode());
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

	private void insertItem(UUID user, String itemId, String status, String keyId) {
		this.jdbc
			.sql("""
					INSERT INTO plaid_items (item_id, user_id, institution_id, access_token_ciphertext, access_token_key_id, status,
					    status_reason)
					VALUES (:item, :user, 'ins_paging', '\\x00'::bytea, :key, :status, 'ITEM_LOGIN_REQUIRED')
					""")
			.param("item", itemId)
			.param("user", user)
			.param("key", keyId)
			.param("status", status)
			.update();
	}

}
