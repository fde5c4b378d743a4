package dev.plaidsync.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plaidsync.common.PageRequest;
import dev.plaidsync.items.AccessTokenUnreadable;
import dev.plaidsync.items.ItemRemoval;
import dev.plaidsync.items.ItemsNeedingAttention;
import dev.plaidsync.items.PlaidRequestFailed;
import dev.plaidsync.webhooks.WebhookEvent;
import dev.plaidsync.webhooks.WebhookEvents;
import dev.plaidsync.webhooks.WebhookHealthRow;
import dev.plaidsync.webhooks.WebhookReplay;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook health, data freshness, items that need attention, and the actions on items and
 * webhook events.
 */
@RestController
class OpsMonitoringController {

	private final JdbcClient jdbc;

	private final WebhookEvents webhookEvents;

	private final WebhookReplay webhookReplay;

	private final ItemRemoval itemRemoval;

	private final ItemsNeedingAttention itemsNeedingAttention;

	private final OpsAudit audit;

	private final OpsProperties properties;

	private final String freshnessQuery;

	OpsMonitoringController(JdbcClient jdbc, WebhookEvents webhookEvents, WebhookReplay webhookReplay,
			ItemRemoval itemRemoval, ItemsNeedingAttention itemsNeedingAttention, OpsAudit audit,
			OpsProperties properties) {
		this.jdbc = jdbc;
		this.webhookEvents = webhookEvents;
		this.webhookReplay = webhookReplay;
		this.itemRemoval = itemRemoval;
		this.itemsNeedingAttention = itemsNeedingAttention;
		this.audit = audit;
		this.properties = properties;
		this.freshnessQuery = read("sql/monitoring/data_freshness.sql");
	}

	@GetMapping("/ops/webhooks/health")
	List<WebhookHealthRow> webhookHealth() {
		return this.webhookEvents.health();
	}

	/**
	 * How many users are stale per product, and one page of them (stalest first): never
	 * every stale user, which at 150,000 items would be the whole user table on every
	 * console refresh.
	 */
	@GetMapping("/ops/freshness")
	Freshness freshness(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
		PageRequest request = PageRequest.of(page, size);
		OpsProperties.Freshness thresholds = this.properties.freshness();
		Map<String, Long> counts = staleCounts(this.jdbc, this.freshnessQuery, thresholds);
		return new Freshness(
				new Freshness.Thresholds(thresholds.holdings().toString(), thresholds.transactions().toString(),
						thresholds.balances().toString()),
				new Freshness.Counts(counts.get("holdings"), counts.get("transactions"), counts.get("balances")),
				counts.values().stream().mapToLong(Long::longValue).sum(), request.page(), request.size(),
				staleUsers(this.jdbc, this.freshnessQuery, thresholds, request));
	}

	/**
	 * Items that need a person, longest first: one page, the total in
	 * {@code X-Total-Count}.
	 */
	@GetMapping("/ops/items/attention")
	ResponseEntity<List<ItemsNeedingAttention.ItemNeedingAttention>> itemsNeedingAttention(
			@RequestParam(defaultValue = "0") int page, @RequestParam(required = false) Integer size) {
		return OpsLists.answer(this.itemsNeedingAttention.page(OpsLists.request(page, size, null, 50)));
	}

	@PostMapping("/ops/items/{itemId}/remove")
	ItemRemovedByOperator removeItem(@PathVariable String itemId, HttpServletRequest request) {
		try {
			if (this.itemRemoval.remove(itemId, "removed by an operator").isEmpty()) {
				this.audit.record(request, "remove item", itemId, "NOT_FOUND", null);
				throw OpsException.notFound("Item " + itemId + " (or it was already removed)");
			}
		}
		catch (AccessTokenUnreadable unreadable) {
			this.audit.record(request, "remove item", itemId, "REFUSED", unreadable.getMessage());
			throw new OpsException(HttpStatus.CONFLICT, "access_token_unreadable", "Item " + itemId
					+ " was kept: its access token needs key '" + unreadable.keyId()
					+ "', which PLAIDSYNC_TOKEN_KEY no "
					+ "longer lists, so Plaid cannot be asked to remove it and it may still be live (and billed) there. "
					+ "Add '" + unreadable.keyId() + ":<base64>' back after the current key, then remove it again.");
		}
		catch (PlaidRequestFailed failure) {
			this.audit.record(request, "remove item", itemId, "FAILED", failure.getMessage());
			throw new OpsException(HttpStatus.BAD_GATEWAY, "plaid_failed",
					"Plaid did not remove the item, so it was kept as it was; try again: " + failure.getMessage());
		}
		this.audit.record(request, "remove item", itemId, "OK", "removed at Plaid and here");
		return new ItemRemovedByOperator(itemId, "REMOVED");
	}

	/**
	 * Events for items no user linked here, newest first: one page, the total in
	 * {@code X-Total-Count}.
	 */
	@GetMapping("/ops/webhooks/unknown-items")
	ResponseEntity<List<WebhookEvent>> unknownItems(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size) {
		return OpsLists.answer(this.webhookEvents.unknownItems(OpsLists.request(page, size, null, 50)));
	}

	@PostMapping("/ops/webhooks/events/{id}/replay")
	WebhookReplayed replay(@PathVariable UUID id, HttpServletRequest request) {
		try {
			UUID replay = this.webhookReplay.replay(id, OpsAudit.actor(request))
				.orElseThrow(() -> OpsException.notFound("Webhook event " + id));
			this.audit.record(request, "replay webhook", id.toString(), "OK", "replayed as " + replay);
			return new WebhookReplayed(id, replay, "RECEIVED",
					"The replay is in the inbox; any node dispatches it within seconds");
		}
		catch (IllegalStateException refused) {
			this.audit.record(request, "replay webhook", id.toString(), "REFUSED", refused.getMessage());
			throw OpsException.conflict(refused.getMessage());
		}
	}

	/**
	 * Operator actions newest first: one page ({@code size}, or its older name
	 * {@code limit}), the total in {@code X-Total-Count}.
	 */
	@GetMapping("/ops/audit")
	ResponseEntity<List<OpsAudit.Entry>> audit(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size, @RequestParam(required = false) Integer limit) {
		return OpsLists.answer(this.audit.recent(OpsLists.request(page, size, limit, 100)));
	}

	/** Stale users per product (every product present, zero when none). */
	static Map<String, Long> staleCounts(JdbcClient jdbc, String query, OpsProperties.Freshness freshness) {
		Map<String, Long> counts = new java.util.LinkedHashMap<>();
		List.of("holdings", "transactions", "balances").forEach((product) -> counts.put(product, 0L));
		parameters(jdbc.sql("SELECT s.product, count(*) FROM (" + withoutTerminator(query) + ") s GROUP BY s.product"),
				freshness)
			.query((row, number) -> Map.entry(row.getString(1), row.getLong(2)))
			.list()
			.forEach((count) -> counts.put(count.getKey(), count.getValue()));
		return counts;
	}

	static List<Freshness.StaleUser> staleUsers(JdbcClient jdbc, String query, OpsProperties.Freshness freshness,
			PageRequest page) {
		return parameters(
				jdbc.sql("SELECT * FROM (" + withoutTerminator(query) + ") s "
						+ "ORDER BY s.last_sync NULLS FIRST, s.user_id, s.product LIMIT :limit OFFSET :offset"),
				freshness)
			.param("limit", page.size())
			.param("offset", page.offset())
			.query((row, number) -> new Freshness.StaleUser(row.getObject("user_id", UUID.class),
					row.getString("product"), row.getTimestamp("last_sync"), text(row.getObject("time_since_sync")),
					row.getLong("account_count"), row.getLong("error_accounts")))
			.list();
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static JdbcClient.StatementSpec parameters(JdbcClient.StatementSpec statement,
			OpsProperties.Freshness freshness) {
		return statement.param("holdingsMaxAgeSeconds", freshness.holdings().toSeconds())
			.param("transactionsMaxAgeSeconds", freshness.transactions().toSeconds())
			.param("balancesMaxAgeSeconds", freshness.balances().toSeconds());
	}

	private static String withoutTerminator(String query) {
		String trimmed = query.strip();
		return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
	}

	static String read(String resource) {
		try {
			return new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * {@code GET /ops/freshness}: the thresholds, the stale users per product, and one
	 * page of them, stalest first.
	 */
	record Freshness(Thresholds thresholds, Counts counts, long total, int page, int size, List<StaleUser> stale) {

		/** How old each product's newest sync may be, as ISO durations. */
		record Thresholds(String holdings, String transactions, String balances) {
		}

		/** How many users are stale per product. */
		record Counts(long holdings, long transactions, long balances) {
		}

		/**
		 * A user whose newest sync of {@code product} is older than its threshold
		 * ({@code last_sync} null: never), with the user's active accounts and those in
		 * error.
		 */
		record StaleUser(@JsonProperty("user_id") UUID userId, String product,
				@JsonProperty("last_sync") java.sql.Timestamp lastSync,
				@JsonProperty("time_since_sync") String timeSinceSync, @JsonProperty("account_count") long accountCount,
				@JsonProperty("error_accounts") long errorAccounts) {
		}

	}

	record ItemRemovedByOperator(String itemId, String status) {
	}

	/** {@code replayEventId}: the new inbox event carrying the same body. */
	record WebhookReplayed(UUID eventId, UUID replayEventId, String status, String message) {
	}

}
