package dev.plaidsync.webhooks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.plaidsync.common.LogContext;
import dev.plaidsync.common.Problems;
import dev.plaidsync.plaid.PlaidGateway;
import dev.plaidsync.webhooks.internal.IntakeStore.StoredEvent;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhook/plaid}: reads at most {@code max-body-size} raw bytes, verifies
 * them as Plaid signs, stores the event, and answers 200 only once it is committed.
 * Dispatch happens afterwards. Every other answer is a {@link Problems problem}: 401 not
 * Plaid's, 400 malformed or not of Plaid's shape (kept as an IGNORED event), 408 the body
 * came too slowly ({@link WebhookBodyReader}), 413 too large, 503 retry later (the key or
 * the database is unreachable). {@code GET /webhook/plaid/health} says whether events can
 * be stored now.
 */
@RestController
class WebhookIntakeController {

	private static final Logger log = LoggerFactory.getLogger(WebhookIntakeController.class);

	static final String SIGNATURE_HEADER = "Plaid-Verification";

	private final WebhookVerifier verifier;

	private final IntakeStore store;

	private final WebhookDispatcher dispatcher;

	private final IntakeMetrics metrics;

	private final JsonMapper json;

	private final String environment;

	private final int maxBodySize;

	WebhookIntakeController(WebhookVerifier verifier, IntakeStore store, WebhookDispatcher dispatcher,
			IntakeMetrics metrics, JsonMapper json, PlaidGateway plaid, WebhookProperties properties) {
		this.verifier = verifier;
		this.store = store;
		this.dispatcher = dispatcher;
		this.metrics = metrics;
		this.json = json;
		this.environment = plaid.webhookEnvironment();
		this.maxBodySize = (int) Math.min(Integer.MAX_VALUE - 1, properties.maxBodySize().toBytes());
	}

	@PostMapping(path = "/webhook/plaid", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Object> receive(HttpServletRequest request) {
		try (LogContext.Scope logContext = LogContext.open()) {
			byte[] body = readBody(request);
			String sha256 = WebhookVerifier.sha256Hex(body);
			String kid = this.verifier.verify(request.getHeader(SIGNATURE_HEADER), body, sha256);
			WebhookBody webhook = WebhookBody.parse(body, this.json);
			logContext.put(LogContext.ITEM_ID, webhook.itemId());
			if (!webhook.valid()) {
				return invalid(request, webhook, body, kid, sha256, logContext);
			}
			StoredEvent stored = this.store.store(webhook, new String(body, StandardCharsets.UTF_8), kid, sha256,
					ignoredReason(webhook));
			logContext.put(LogContext.WEBHOOK_EVENT_ID, stored.id()).put(LogContext.USER_ID, stored.userId());
			this.metrics.received(webhook.type(), webhook.code(), stored.status());
			log.debug("Stored webhook {}/{} as event {}: {}", webhook.type(), webhook.code(), stored.id(),
					stored.status());
			if ("RECEIVED".equals(stored.status())) {
				this.dispatcher.dispatchSoon(stored.id(), webhook.itemId());
			}
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("event_id", stored.id().toString());
			answer.put("status", stored.status());
			return ResponseEntity.ok(answer);
		}
		catch (Rejection rejection) {
			this.metrics.rejected(rejection, request.getRemoteAddr());
			return error(rejection.status(), rejection.reason(), rejection.getMessage());
		}
	}

	/**
	 * A verified body that is not of Plaid's shape: kept for operators as an IGNORED
	 * event whose reason says what is wrong (never dispatched), and answered 400.
	 */
	private ResponseEntity<Object> invalid(HttpServletRequest request, WebhookBody webhook, byte[] body, String kid,
			String sha256, LogContext.Scope logContext) {
		StoredEvent kept = this.store.store(webhook, new String(body, StandardCharsets.UTF_8), kid, sha256,
				"invalid: " + webhook.invalid());
		logContext.put(LogContext.WEBHOOK_EVENT_ID, kept.id());
		Rejection rejection = Rejection.badRequest("invalid_webhook",
				"The body is not of Plaid's shape: " + webhook.invalid() + "; kept as event " + kept.id());
		this.metrics.rejected(rejection, request.getRemoteAddr());
		return error(rejection.status(), rejection.reason(), rejection.getMessage());
	}

	@GetMapping(path = "/webhook/plaid/health", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Object> health() {
		if (this.store.canStore()) {
			return ResponseEntity.ok(Map.of("status", "UP"));
		}
		return error(HttpStatus.SERVICE_UNAVAILABLE, "store_unavailable",
				"Webhook events cannot be stored now: the database does not answer; webhooks are answered 503");
	}

	private String ignoredReason(WebhookBody webhook) {
		if (webhook.environment() != null && !webhook.environment().equals(this.environment)) {
			return "environment " + webhook.environment() + " is not this engine's (" + this.environment + ")";
		}
		if (!webhook.known()) {
			return "unknown webhook " + webhook.type() + "/" + webhook.code();
		}
		return null;
	}

	private byte[] readBody(HttpServletRequest request) {
		long declared = request.getContentLengthLong();
		if (declared > this.maxBodySize) {
			throw Rejection.tooLarge(this.maxBodySize);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes(this.maxBodySize + 1);
			if (body.length > this.maxBodySize) {
				throw Rejection.tooLarge(this.maxBodySize);
			}
			return body;
		}
		catch (IOException ex) {
			throw Rejection.badRequest("unreadable_body", "The body could not be read");
		}
	}

	private static ResponseEntity<Object> error(HttpStatus status, String error, String message) {
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.problem(status, error, message));
	}

}
