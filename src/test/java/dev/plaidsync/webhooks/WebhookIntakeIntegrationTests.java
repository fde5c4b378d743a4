package dev.plaidsync.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.plaidsync.items.ItemLinking;
import dev.plaidsync.items.Users;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.simulator.SignedWebhook;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.webhooks.WebhookPoster.Answer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.plaidsync.webhooks.WebhookPoster.plaidBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EngineIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookIntakeIntegrationTests {

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

	@Autowired
	MeterRegistry meters;

	WebhookPoster poster;

	@BeforeAll
	void poster() {
		this.poster = new WebhookPoster("http://localhost:" + this.port);
	}

	// ---- dispatch table

	@Test
	void holdingsUpdateSyncsThatItemsHoldings() {
		Linked item = link("holdings");
		this.simulator.fireHoldingsUpdate(item.itemId());
		WebhookEvent event = awaitEnded(item, "DEFAULT_UPDATE");
		assertThat(event.status()).isEqualTo("DONE");
		assertThat(event.success()).isTrue();
		assertThat(event.processingDurationMs()).isNotNull();
		assertThat(execution(event.jobExecutionId())).containsEntry("job", "holdingsSyncJob")
			.containsEntry("itemId", item.itemId())
			.containsEntry("slot", event.id().toString())
			.containsEntry("status", "COMPLETED");
		assertThat(itemColumn(item, "holdings_synced_at > :at", event.createdAt())).isEqualTo(true);
		assertThat(this.events.forUser(item.userId(), 0, 50)).extracting(WebhookEvent::id).contains(event.id());
	}

	@Test
	void transactionsUpdateSyncsTheRoutineWindowOrTheFullOneWhenItReportsCancellations() {
		Linked item = link("transactions");
		this.simulator.fireTransactionsUpdate(item.itemId(), 2, 0);
		WebhookEvent routine = awaitEnded(item, "DEFAULT_UPDATE");
		assertThat(execution(routine.jobExecutionId())).containsEntry("job", "transactionsSyncJob")
			.containsEntry("window", "ROUTINE");

		this.simulator.fireTransactionsUpdate(item.itemId(), 0, 1);
		WebhookEvent cancelled = awaitEnded(item, "DEFAULT_UPDATE", routine.id());
		assertThat(execution(cancelled.jobExecutionId())).containsEntry("window", "FULL");

		byte[] oldSpelling = plaidBody("canceled_investments_transactions", 3, "environment", "sandbox", "error", null,
				"item_id", item.itemId(), "new_investments_transactions", 0, "webhook_code", "DEFAULT_UPDATE",
				"webhook_type", "INVESTMENTS_TRANSACTIONS");
		assertThat(postSigned(oldSpelling).status()).isEqualTo(200);
		WebhookEvent canceled = awaitEnded(item, "DEFAULT_UPDATE", routine.id(), cancelled.id());
		assertThat(execution(canceled.jobExecutionId())).containsEntry("window", "FULL")
			.containsEntry("status", "COMPLETED");
	}

	@Test
	void historicalUpdateSyncsTheFullWindow() {
		Linked item = link("historical");
		assertThat(postSigned(plaidBody("environment", "sandbox", "error", null, "item_id", item.itemId(),
				"new_investments_transactions", 40, "webhook_code", "HISTORICAL_UPDATE", "webhook_type",
				"INVESTMENTS_TRANSACTIONS"))
			.status()).isEqualTo(200);
		WebhookEvent event = awaitEnded(item, "HISTORICAL_UPDATE");
		assertThat(execution(event.jobExecutionId())).containsEntry("job", "transactionsSyncJob")
			.containsEntry("window", "FULL");
	}

	@Test
	void anErrorInAnUpdateIsRecordedOnTheItemAndLaunchesNothing() {
		Linked item = link("update-error");
		long executions = executionsOf(item);
		assertThat(postSigned(plaidBody("environment", "sandbox", "error",
				Map.of("error_code", "PRODUCT_NOT_READY", "error_message", "not yet"), "item_id", item.itemId(),
				"new_holdings", 0, "updated_holdings", 0, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS"))
			.status()).isEqualTo(200);
		WebhookEvent event = awaitEnded(item, "DEFAULT_UPDATE");
		assertThat(event.status()).isEqualTo("DONE");
		assertThat(event.jobExecutionId()).isNull();
		assertThat(itemColumn(item, "last_error_code", null)).isEqualTo("PRODUCT_NOT_READY");
		assertThat(executionsOf(item)).isEqualTo(executions);
	}

	@Test
	void itemErrorNeedsTheUserAndLoginRepairedReactivatesAndSyncs() {
		Linked item = link("login");
		this.simulator.requireLogin(item.itemId());
		awaitEnded(item, "ERROR");
		assertThat(itemColumn(item, "status", null)).isEqualTo("NEEDS_USER");
		assertThat(itemColumn(item, "status_reason", null)).isEqualTo("ITEM_LOGIN_REQUIRED");

		long executions = executionsOf(item);
		this.simulator.repairLogin(item.itemId());
		awaitEnded(item, "LOGIN_REPAIRED");
		assertThat(itemColumn(item, "status", null)).isEqualTo("ACTIVE");
		await().atMost(Duration.ofSeconds(30)).until(() -> executionsOf(item) >= executions + 2 && idle(item));
		assertThat(this.jdbc
			.sql("""
					SELECT DISTINCT i.job_name FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
					JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id AND p.parameter_name = 'slot'
					JOIN batch_job_execution_params t ON t.job_execution_id = e.job_execution_id AND t.parameter_name = 'itemId'
					WHERE t.parameter_value = :itemId AND p.parameter_value LIKE 'repaired:%' AND e.status = 'COMPLETED'
					""")
			.param("itemId", item.itemId())
			.query(String.class)
			.list()).containsExactlyInAnyOrder("holdingsSyncJob", "transactionsSyncJob");
	}

	@Test
	void pendingExpirationAndDisconnectSetTheirFlagsAndTheItemKeepsSyncing() {
		Linked item = link("pending");
		this.simulator.fireItemWebhook(item.itemId(), "PENDING_EXPIRATION", null);
		awaitEnded(item, "PENDING_EXPIRATION");
		this.simulator.fireItemWebhook(item.itemId(), "PENDING_DISCONNECT", "INSTITUTION_MIGRATION");
		awaitEnded(item, "PENDING_DISCONNECT");
		assertThat(itemColumn(item, "consent_expiration_at > now() + interval '6 days'", null)).isEqualTo(true);
		assertThat(itemColumn(item, "pending_disconnect_at > now() + interval '6 days'", null)).isEqualTo(true);
		assertThat(itemColumn(item, "pending_disconnect_reason", null)).isEqualTo("INSTITUTION_MIGRATION");
		assertThat(itemColumn(item, "status", null)).isEqualTo("ACTIVE");
	}

	@Test
	void userPermissionRevokedRevokesTheItem() {
		Linked item = link("revoked");
		this.simulator.fireItemWebhook(item.itemId(), "USER_PERMISSION_REVOKED", null);
		awaitEnded(item, "USER_PERMISSION_REVOKED");
		assertThat(itemColumn(item, "status", null)).isEqualTo("REVOKED");
	}

	@Test
	void userAccountRevokedDeactivatesThatAccountAndRemovesItsData() {
		Linked item = link("account-revoked");
		String accountId = this.jdbc.sql("""
				SELECT a.account_id FROM user_investment_accounts a WHERE a.item_id = :itemId
				AND EXISTS (SELECT 1 FROM holdings h WHERE h.account_id = a.account_id) ORDER BY a.account_id LIMIT 1
				""").param("itemId", item.itemId()).query(String.class).single();
		assertThat(count("SELECT count(*) FROM holdings WHERE account_id = :a", accountId)).isPositive();
		this.simulator.fireItemWebhook(item.itemId(), "USER_ACCOUNT_REVOKED", accountId);
		awaitEnded(item, "USER_ACCOUNT_REVOKED");
		assertThat(this.jdbc.sql("SELECT is_active FROM user_investment_accounts WHERE account_id = :a")
			.param("a", accountId)
			.query(Boolean.class)
			.single()).isFalse();
		assertThat(count("SELECT count(*) FROM holdings WHERE account_id = :a", accountId)).isZero();
		assertThat(count("SELECT count(*) FROM investment_transactions WHERE account_id = :a", accountId)).isZero();
	}

	@Test
	void newAccountsAvailableSetsTheFlagAndWebhookUpdateAcknowledgedIsRecorded() {
		Linked item = link("new-accounts");
		this.simulator.fireItemWebhook(item.itemId(), "NEW_ACCOUNTS_AVAILABLE", null);
		awaitEnded(item, "NEW_ACCOUNTS_AVAILABLE");
		assertThat(itemColumn(item, "new_accounts_available_at IS NOT NULL", null)).isEqualTo(true);

		this.simulator.fireItemWebhook(item.itemId(), "WEBHOOK_UPDATE_ACKNOWLEDGED", null);
		WebhookEvent acknowledged = awaitEnded(item, "WEBHOOK_UPDATE_ACKNOWLEDGED");
		assertThat(acknowledged.status()).isEqualTo("DONE");
		assertThat(acknowledged.statusReason()).contains("/webhook/plaid");
	}

	@Test
	void unknownCodesOtherEnvironmentsAndUnknownItemsAreStoredAnsweredAndNotDispatched() {
		Linked item = link("ignored");
		long executions = executionsOf(item);
		Answer unknownCode = postSigned(plaidBody("environment", "sandbox", "item_id", item.itemId(), "webhook_code",
				"SOMETHING_NEW", "webhook_type", "HOLDINGS"));
		Answer production = postSigned(
				plaidBody("environment", "production", "error", null, "item_id", item.itemId(), "new_holdings", 1,
						"updated_holdings", 0, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS"));
		Answer unknownItem = postSigned(plaidBody("environment", "sandbox", "error", null, "item_id",
				"no-such-item-" + UUID.randomUUID(), "new_holdings", 1, "updated_holdings", 0, "webhook_code",
				"DEFAULT_UPDATE", "webhook_type", "HOLDINGS"));
		assertThat(unknownCode.status()).isEqualTo(200);
		assertThat(unknownCode.body().path("status").asString()).isEqualTo("IGNORED");
		assertThat(production.status()).isEqualTo(200);
		assertThat(production.body().path("status").asString()).isEqualTo("IGNORED");
		assertThat(this.events.find(UUID.fromString(production.body().path("event_id").asString()))
			.orElseThrow()
			.statusReason()).contains("environment production");
		assertThat(unknownItem.status()).isEqualTo(200);
		assertThat(unknownItem.body().path("status").asString()).isEqualTo("UNKNOWN_ITEM");
		assertThat(this.events.unknownItems(dev.plaidsync.common.PageRequest.of(0, 100)).items())
			.extracting(e -> e.id().toString())
			.contains(unknownItem.body().path("event_id").asString());
		assertThat(this.events.health()).anySatisfy((row) -> assertThat(row.unknownItem()).isPositive());
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(3))
			.until(() -> executionsOf(item) == executions);
	}

	@Test
	void aRedeliveredItemWebhookIsADuplicate() {
		Linked item = link("duplicate");
		byte[] body = plaidBody("environment", "sandbox", "error", null, "item_id", item.itemId(), "webhook_code",
				"NEW_ACCOUNTS_AVAILABLE", "webhook_type", "ITEM");
		assertThat(postSigned(body).status()).isEqualTo(200);
		WebhookEvent first = awaitEnded(item, "NEW_ACCOUNTS_AVAILABLE");
		long executions = executionsOf(item);
		assertThat(postSigned(body).status()).isEqualTo(200);
		WebhookEvent again = awaitEnded(item, "NEW_ACCOUNTS_AVAILABLE", first.id());
		assertThat(again.status()).isEqualTo("DONE");
		assertThat(again.statusReason()).startsWith("duplicate of " + first.id());
		assertThat(executionsOf(item)).isEqualTo(executions);
	}

	@Test
	void eventsLeftReceivedByADeadNodeAreClaimedAndDispatched() {
		Linked item = link("crash");
		long executions = executionsOf(item);
		// what a node killed after its commit and its 200, before dispatching, leaves
		// behind: one never claimed,
		// one claimed by that node long ago
		byte[] holdings = holdingsBody(item.itemId());
		byte[] accounts = plaidBody("environment", "sandbox", "error", null, "item_id", item.itemId(), "webhook_code",
				"NEW_ACCOUNTS_AVAILABLE", "webhook_type", "ITEM");
		for (byte[] body : java.util.List.of(holdings, accounts)) {
			this.jdbc
				.sql("""
						INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, user_id, raw_webhook_data,
						    environment, verification, verification_key_id, body_sha256, created_at, claimed_by, claimed_at)
						SELECT CAST(:raw AS jsonb) ->> 'webhook_type', CAST(:raw AS jsonb) ->> 'webhook_code', :itemId, :userId,
						    CAST(:raw AS jsonb), 'sandbox', 'VERIFIED', 'kid', :sha, now() - interval '1 minute',
						    CASE WHEN CAST(:raw AS jsonb) ->> 'webhook_type' = 'ITEM' THEN 'dead-node' END,
						    CASE WHEN CAST(:raw AS jsonb) ->> 'webhook_type' = 'ITEM' THEN now() - interval '10 minutes' END
						""")
				.param("raw", new String(body, StandardCharsets.UTF_8))
				.param("itemId", item.itemId())
				.param("userId", item.userId())
				.param("sha", "sha-" + UUID.randomUUID())
				.update();
		}
		WebhookEvent synced = awaitEnded(item, "DEFAULT_UPDATE");
		assertThat(synced.status()).isEqualTo("DONE");
		assertThat(execution(synced.jobExecutionId())).containsEntry("job", "holdingsSyncJob")
			.containsEntry("status", "COMPLETED");
		assertThat(awaitEnded(item, "NEW_ACCOUNTS_AVAILABLE").status()).isEqualTo("DONE");
		assertThat(itemColumn(item, "new_accounts_available_at IS NOT NULL", null)).isEqualTo(true);
		assertThat(executionsOf(item)).isEqualTo(executions + 1);
	}

	// ---- rejections: 401, 413, 400, with nothing stored

	@Test
	void forgedAndBrokenSignaturesAre401AndStoreNothing() throws Exception {
		String itemId = "item-" + UUID.randomUUID();
		byte[] body = holdingsBody(itemId);
		String sha = sha256(body);
		String kid = this.simulator.currentWebhookKeyId();
		ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();

		assertRejected(this.poster.post(body, es256(stranger, kid, Instant.now(), sha)), 401, "invalid_signature");
		assertRejected(this.poster.post(body, unsigned(kid, sha)), 401, "unsupported_algorithm");
		assertRejected(this.poster.post(body, hs256(kid, sha)), 401, "unsupported_algorithm");
		assertRejected(this.poster.post(body, es256(stranger, "kid-" + UUID.randomUUID(), Instant.now(), sha)), 401,
				"unknown_key");
		assertRejected(this.poster.post(body, sign(body, Instant.now().minus(Duration.ofMinutes(6)))), 401,
				"stale_iat");
		assertRejected(this.poster.post(body, sign(body, Instant.now().plus(Duration.ofMinutes(2)))), 401,
				"future_iat");
		byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"new_holdings\": 1", "\"new_holdings\": 2")
			.getBytes(StandardCharsets.UTF_8);
		assertThat(tampered).isNotEqualTo(body);
		assertRejected(this.poster.post(tampered, sign(body, Instant.now())), 401, "body_mismatch");
		byte[] compact = new String(body, StandardCharsets.UTF_8).replace("\n", "")
			.replace("  ", "")
			.getBytes(StandardCharsets.UTF_8);
		assertRejected(this.poster.post(compact, sign(body, Instant.now())), 401, "body_mismatch");
		assertRejected(this.poster.post(body, null), 401, "missing_signature");
		assertRejected(this.poster.post(body, "not-a-jwt"), 401, "malformed_signature");

		assertThat(count("SELECT count(*) FROM plaid_webhook_events WHERE item_id = :a", itemId)).isZero();
		assertThat(this.meters.get("webhooks.rejected").tag("reason", "body_mismatch").counter().count())
			.isGreaterThanOrEqualTo(2);
		// the same body, signed by the simulator: accepted, so the checks above were what
		// refused it
		assertThat(this.poster.post(body, sign(body, Instant.now())).status()).isEqualTo(200);
	}

	@Test
	void oversizedBodiesAre413AndMalformedOnesAre400() {
		byte[] huge = new byte[70 * 1024];
		java.util.Arrays.fill(huge, (byte) ' ');
		String signature = sign(huge, Instant.now());
		long before = count("SELECT count(*) FROM plaid_webhook_events", null);
		assertRejected(this.poster.post(huge, signature), 413, "body_too_large");
		assertRejected(this.poster.postStreamed(huge, signature), 413, "body_too_large");

		byte[] malformed = "{\n  \"webhook_type\": \"HOLDINGS\",".getBytes(StandardCharsets.UTF_8);
		assertRejected(this.poster.post(malformed, sign(malformed, Instant.now())), 400, "malformed_json");
		byte[] nul = plaidBody("environment", "sandbox", "item_id", "x\u0000y", "webhook_code", "DEFAULT_UPDATE",
				"webhook_type", "HOLDINGS");
		assertRejected(this.poster.post(nul, sign(nul, Instant.now())), 400, "unstorable_json");
		assertThat(count("SELECT count(*) FROM plaid_webhook_events", null)).isEqualTo(before);
		// a verified body without item_id is not of Plaid's shape: 400, and kept for
		// operators (WebhookShapeIntegrationTests)
		byte[] noItem = plaidBody("environment", "sandbox", "webhook_code", "DEFAULT_UPDATE", "webhook_type",
				"HOLDINGS");
		assertRejected(this.poster.post(noItem, sign(noItem, Instant.now())), 400, "invalid_webhook");
	}

	// ---- keys

	@Test
	void afterRotationNewKeysAreAcceptedAndTheOldKeyIsRefusedOnceExpired() {
		String itemId = "rotation-" + UUID.randomUUID();
		assertThat(postSigned(holdingsBody(itemId)).status()).isEqualTo(200);
		byte[] late = plaidBody("environment", "sandbox", "item_id", itemId, "webhook_code", "LATE", "webhook_type",
				"HOLDINGS");
		SignedWebhook underOldKey = this.simulator.signWebhook(late);

		String newKid = this.simulator.rotateWebhookKey();
		SignedWebhook underNewKey = this.simulator.signWebhook(holdingsBody(itemId));
		assertThat(underNewKey.keyId()).isEqualTo(newKid).isNotEqualTo(underOldKey.keyId());
		assertThat(this.poster.post(holdingsBody(itemId), underNewKey.verification()).status()).isEqualTo(200);

		assertRejected(this.poster.post(late, underOldKey.verification()), 401, "key_expired");
		assertThat(count("SELECT count(*) FROM plaid_webhook_events WHERE item_id = :a", itemId)).isEqualTo(2);
	}

	@Test
	void whileTheKeyEndpointFailsIntakeAnswers503NotA401() {
		String itemId = "key-outage-" + UUID.randomUUID();
		this.simulator.rotateWebhookKey();
		this.simulator.failWebhookKeyEndpoint(true);
		try {
			Answer answer = postSigned(holdingsBody(itemId));
			assertRejected(answer, 503, "key_unavailable");
			assertThat(count("SELECT count(*) FROM plaid_webhook_events WHERE item_id = :a", itemId)).isZero();
		}
		finally {
			this.simulator.failWebhookKeyEndpoint(false);
		}
		assertThat(postSigned(holdingsBody(itemId)).status()).isEqualTo(200);
	}

	@Test
	void healthSaysIntakeCanStore() {
		Answer health = this.poster.health();
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.body().path("status").asString()).isEqualTo("UP");
	}

	// ---- helpers

	record Linked(String itemId, UUID userId) {
	}

	private Linked link(String name) {
		UUID userId = this.users.idFor("webhooks-" + name + "-" + UUID.randomUUID());
		String publicToken = this.gateway.createSandboxPublicToken("ins_900001", "user_" + name).getPublicToken();
		Linked item = new Linked(((ItemLinking.Linked) this.linking.link(userId, publicToken)).item().itemId(), userId);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> idle(item) && Boolean.TRUE.equals(
					itemColumn(item, "holdings_synced_at IS NOT NULL AND transactions_synced_at IS NOT NULL", null)));
		return item;
	}

	private boolean idle(Linked item) {
		return count("SELECT count(*) FROM sync_requests WHERE scope_key = 'ITEM:' || :a", item.itemId()) == 0;
	}

	private Answer postSigned(byte[] body) {
		return this.poster.post(body, sign(body, Instant.now()));
	}

	private String sign(byte[] body, Instant issuedAt) {
		return this.simulator.signWebhook(body, issuedAt).verification();
	}

	private WebhookEvent awaitEnded(Linked item, String code, UUID... notThese) {
		java.util.List<UUID> excluded = java.util.List.of(notThese);
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> this.jdbc.sql("""
					SELECT id FROM plaid_webhook_events WHERE item_id = :itemId AND webhook_code = :code
					AND status IN ('DONE', 'FAILED', 'IGNORED', 'UNKNOWN_ITEM') ORDER BY created_at DESC
					""")
				.param("itemId", item.itemId())
				.param("code", code)
				.query(UUID.class)
				.list()
				.stream()
				.filter((id) -> !excluded.contains(id))
				.findFirst()
				.flatMap(this.events::find)
				.orElse(null), (event) -> event != null);
	}

	private Map<String, Object> execution(Long executionId) {
		assertThat(executionId).as("the event's job execution").isNotNull();
		Map<String, Object> row = new java.util.HashMap<>(this.jdbc
			.sql("""
					SELECT i.job_name AS job, e.status FROM batch_job_execution e JOIN batch_job_instance i USING (job_instance_id)
					WHERE e.job_execution_id = :id
					""")
			.param("id", executionId)
			.query()
			.singleRow());
		this.jdbc
			.sql("SELECT parameter_name, parameter_value FROM batch_job_execution_params WHERE job_execution_id = :id")
			.param("id", executionId)
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
			.list()
			.forEach((entry) -> row.put(entry.getKey(), entry.getValue()));
		return row;
	}

	private long executionsOf(Linked item) {
		return count("""
				SELECT count(*) FROM batch_job_execution_params WHERE parameter_name = 'itemId' AND parameter_value = :a
				""", item.itemId());
	}

	private Object itemColumn(Linked item, String expression, Object at) {
		return this.jdbc.sql("SELECT " + expression + " FROM plaid_items WHERE item_id = :itemId")
			.param("itemId", item.itemId())
			.param("at", at)
			.query()
			.singleValue();
	}

	private long count(String sql, String a) {
		JdbcClient.StatementSpec statement = this.jdbc.sql(sql);
		if (a != null) {
			statement = statement.param("a", a);
		}
		return statement.query(Long.class).single();
	}

	private static void assertRejected(Answer answer, int status, String error) {
		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
		assertThat(answer.error()).isEqualTo(error);
		assertThat(answer.body().path("message").asString()).isNotBlank()
			.doesNotContain("Exception")
			.doesNotContain("\tat ");
	}

	private static byte[] holdingsBody(String itemId) {
		return plaidBody("environment", "sandbox", "error", null, "item_id", itemId, "new_holdings", 1,
				"updated_holdings", 3, "webhook_code", "DEFAULT_UPDATE", "webhook_type", "HOLDINGS");
	}

	private static String sha256(byte[] body) throws Exception {
		return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
	}

	private static JWTClaimsSet claims(Instant issuedAt, String sha) {
		return new JWTClaimsSet.Builder().issueTime(Date.from(issuedAt)).claim("request_body_sha256", sha).build();
	}

	private static String es256(ECKey key, String kid, Instant issuedAt, String sha) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(),
				claims(issuedAt, sha));
		jwt.sign(new ECDSASigner(key));
		return jwt.serialize();
	}

	private static String hs256(String kid, String sha) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(),
				claims(Instant.now(), sha));
		jwt.sign(new MACSigner(new byte[32]));
		return jwt.serialize();
	}

	private static String unsigned(String kid, String sha) {
		String header = Base64URL.encode("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}").toString();
		return header + "." + claims(Instant.now(), sha).toPayload().toBase64URL() + ".";
	}

}
