package dev.plaidsync.operations;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.ItemHistorySource;
import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import dev.plaidsync.items.ItemDirectory;
import dev.plaidsync.items.ItemDirectory.FoundItem;
import dev.plaidsync.sync.ExecutionItems;
import dev.plaidsync.webhooks.ItemWebhookEvents;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One item's story and one user's items. The timeline merges, newest first, what each
 * module records about the item: webhooks received and how they ended, the runs asked for
 * it or its user, its failures (each a Plaid call or write that failed, with Plaid's
 * code), its status changes, its reconciliation breaks, and when each product was last
 * written. Each source is read newest first through its own index, at most as far as the
 * page asked for reaches.
 */
@RestController
class OpsItemTimelineController {

	/** How far back a timeline pages: entries beyond are in each source's own list. */
	static final int MAX_DEPTH = 1000;

	private final ItemDirectory directory;

	private final ExecutionItems executionItems;

	private final ItemWebhookEvents webhooks;

	private final List<ItemHistorySource> otherSources;

	OpsItemTimelineController(ItemDirectory directory, ExecutionItems executionItems, ItemWebhookEvents webhooks,
			List<ItemHistorySource> otherSources) {
		this.directory = directory;
		this.executionItems = executionItems;
		this.webhooks = webhooks;
		this.otherSources = otherSources;
	}

	@GetMapping("/ops/items/{itemId}/timeline")
	ItemTimeline timeline(@PathVariable String itemId, @RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size) {
		PageRequest request = OpsLists.request(page, size, null, 50);
		long depth = request.offset() + request.size();
		if (depth > MAX_DEPTH) {
			throw OpsException.badRequest("The timeline pages back " + MAX_DEPTH
					+ " entries at most (page × size + size); older entries are in the item's webhook events and executions");
		}
		FoundItem item = this.directory.item(itemId).orElseThrow(() -> OpsException.notFound("Item " + itemId));
		int reach = (int) depth + 1;
		List<Entry> entries = new ArrayList<>();
		this.webhooks.newest(itemId, reach)
			.forEach((event) -> entries
				.add(new Entry(event.createdAt(), "WEBHOOK", event.webhookType() + " / " + event.webhookCode(),
						event.status(), (event.errorMessage() != null) ? event.errorMessage() : event.statusReason(),
						event.jobExecutionId(), event.id().toString())));
		this.executionItems.runsOf(itemId, item.userId(), reach)
			.forEach((run) -> entries.add(new Entry(run.requestedAt(), "RUN", run.jobName() + " for " + run.scopeKey(),
					runOutcome(run), runDetail(run), run.jobExecutionId(), null)));
		this.executionItems.failuresOf(itemId, reach)
			.forEach((failure) -> entries
				.add(new Entry(failure.occurredAt(), "FAILURE", failure.jobName() + ": " + failure.failureKind(),
						failure.errorCode(), failure.message(), failure.jobExecutionId(), null)));
		this.directory.statusChanges(itemId, reach)
			.forEach((change) -> entries
				.add(new Entry(change.changedAt(), "STATUS", text(change.fromStatus(), "?") + " → " + change.toStatus(),
						change.toStatus(), change.reason(), null, null)));
		this.otherSources.forEach((source) -> source.newest(itemId, reach)
			.forEach((other) -> entries
				.add(new Entry(other.at(), other.kind(), other.title(), other.outcome(), other.detail(), null, null))));
		written(entries, item.holdingsSyncedAt(), "holdings",
				(item.holdingsAsOf() != null) ? "Plaid's data as of " + item.holdingsAsOf() : null);
		written(entries, item.transactionsSyncedAt(), "transactions", null);
		written(entries, item.balancesSyncedAt(), "balances", null);
		entries.add(new Entry(item.createdAt(), "STATUS", "linked", "ACTIVE", item.institutionName(), null, null));
		entries.sort(Comparator.comparing(Entry::at).reversed());
		int from = (int) Math.min(request.offset(), entries.size());
		int to = (int) Math.min(depth, entries.size());
		return new ItemTimeline(item, advice(item), entries.subList(from, to), entries.size() > depth);
	}

	@GetMapping("/ops/users/{userId}")
	UserItems user(@PathVariable String userId, @RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size) {
		UUID id;
		try {
			id = UUID.fromString(userId);
		}
		catch (IllegalArgumentException ex) {
			throw OpsException.badRequest("userId must be a user's uuid, such as 3f2b0c4e-…, not " + userId);
		}
		PageRequest request = OpsLists.request(page, size, null, 50);
		if (!this.directory.userExists(id)) {
			throw OpsException.notFound("User " + id);
		}
		Page<FoundItem> items = this.directory.ofUser(id, request);
		return new UserItems(id, items.items(), items.total(), items.totalExact());
	}

	/**
	 * What an operator tells the user of an item that needs them; null when it needs
	 * nothing from them.
	 */
	static @Nullable String advice(FoundItem item) {
		if (!"NEEDS_USER".equals(item.status())) {
			return null;
		}
		return "Ask the user to reconnect " + text(item.institutionName(), "their institution")
				+ " in the app: the app asks POST /api/plaid/items/" + item.itemId()
				+ "/link-token for an update-mode link token, opens Plaid Link with it, and once the user has signed in"
				+ " calls POST /api/plaid/items/" + item.itemId()
				+ "/reconnected; the item is ACTIVE again and syncs at once. Plaid said: "
				+ text(item.lastErrorCode(), "ITEM_LOGIN_REQUIRED") + ". Remove the item only if the user no longer"
				+ " wants it.";
	}

	private static void written(List<Entry> entries, @Nullable OffsetDateTime at, String product,
			@Nullable String detail) {
		if (at != null) {
			entries.add(new Entry(at, "SYNCED", product + " written (fetched then from Plaid)", "WRITTEN", detail, null,
					null));
		}
	}

	private static String runOutcome(ExecutionItems.ItemRun run) {
		if (run.runStatus() == null) {
			return "WAITING";
		}
		if (Boolean.TRUE.equals(run.written())) {
			return "WRITTEN";
		}
		return (run.errorCode() != null) ? run.errorCode() : run.runStatus();
	}

	private static @Nullable String runDetail(ExecutionItems.ItemRun run) {
		if (run.runStatus() == null) {
			return "asked for, not ended yet";
		}
		return "run " + run.runStatus() + ((run.message() != null) ? ": " + run.message() : "");
	}

	private static String text(@Nullable String value, String otherwise) {
		return (value != null && !value.isBlank()) ? value : otherwise;
	}

	/**
	 * The item, what to tell its user when it needs them ({@code userAdvice}), and one
	 * page of its timeline; {@code more}: older entries follow.
	 */
	record ItemTimeline(FoundItem item, @Nullable String userAdvice, List<Entry> entries, boolean more) {
	}

	/**
	 * One thing that happened to the item. {@code kind}: WEBHOOK, RUN, FAILURE, STATUS,
	 * RECONCILIATION or SYNCED; {@code outcome}: how it ended (a status, Plaid's code,
	 * WRITTEN); {@code executionId} and {@code webhookEventId} link to the execution and
	 * event.
	 */
	record Entry(OffsetDateTime at, String kind, String title, @Nullable String outcome, @Nullable String detail,
			@Nullable Long executionId, @Nullable String webhookEventId) {
	}

	/** A user's items, each with when each product was last written. */
	record UserItems(UUID userId, List<FoundItem> items, long total, boolean totalExact) {
	}

}
