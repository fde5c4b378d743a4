package dev.plaidsync.portfolio;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.items.ItemFreshness;
import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The seed's force-sync: syncs the user's ACTIVE items now (holdings, and transactions over the routine window),
 * optionally after asking Plaid for fresh data ({@code /investments/refresh}, where the institution supports it), and
 * waits for the runs up to {@code plaidsync.api.force-sync.timeout}. Runs are requested through the launcher, so a
 * force-sync during a running sync of the same user joins it (one fresh run follows) instead of doubling Plaid calls.
 */
@Component
class ForceSync {

	private static final Logger log = LoggerFactory.getLogger(ForceSync.class);

	private static final List<SyncJob> JOBS = List.of(SyncJob.HOLDINGS, SyncJob.TRANSACTIONS);

	private final SyncLauncher launcher;

	private final ItemFreshness freshness;

	private final UserScopedSession session;

	private final JdbcClient jdbc;

	private final PortfolioSummaries summaries;

	private final PortfolioCache cache;

	private final UserApiProperties properties;

	ForceSync(SyncLauncher launcher, ItemFreshness freshness, UserScopedSession session, JdbcClient jdbc,
			PortfolioSummaries summaries, PortfolioCache cache, UserApiProperties properties) {
		this.launcher = launcher;
		this.freshness = freshness;
		this.session = session;
		this.jdbc = jdbc;
		this.summaries = summaries;
		this.cache = cache;
		this.properties = properties;
	}

	Result run(UUID userId) {
		List<String> items = activeItems(userId);
		if (items.isEmpty()) {
			return new Result(false, answer(false, "NOTHING_TO_SYNC",
					"You have no brokerage that can sync: link one, or reconnect those that need you (GET /api/plaid/items).",
					List.of(), null, List.of()));
		}
		List<String> notes = new ArrayList<>();
		if (this.properties.forceSync().refreshInvestments()) {
			for (String itemId : items) {
				ItemFreshness.RefreshOutcome refresh = this.freshness.refreshInvestments(itemId);
				if (!refresh.requested()) {
					notes.add("Item " + itemId + " could not ask its institution for fresh data (" + refresh.errorCode()
							+ "); it shows Plaid's latest extraction.");
				}
			}
		}
		SyncScope scope = SyncScope.user(userId);
		String slot = "force-sync:" + UUID.randomUUID();
		Set<Long> executions = new LinkedHashSet<>();
		for (SyncJob job : JOBS) {
			LaunchOutcome outcome = this.launcher.request(job, scope, slot, SyncOptions.interactive());
			if (outcome.jobExecutionId() != null) {
				executions.add(outcome.jobExecutionId());
			}
		}
		Instant deadline = Instant.now().plus(this.properties.forceSync().timeout());
		while (!finished(scope, executions)) {
			if (Instant.now().isAfter(deadline)) {
				return new Result(true, answer(true, "RUNNING",
						"The sync is still running; GET /api/portfolio/stream tells you when your portfolio changes.",
						new ArrayList<>(executions), storedAsOf(userId), notes));
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return new Result(true, answer(true, "RUNNING", "The sync continues in the background.",
						new ArrayList<>(executions), storedAsOf(userId), notes));
			}
		}
		boolean completed = executions.stream().allMatch((id) -> "COMPLETED".equals(status(id)));
		notes.addAll(itemsNeedingTheUser(userId));
		OffsetDateTime asOf = plaidDataAsOf(userId, items);
		String message = completed
				? "Synced " + items.size() + " item(s). Plaid's data is as of " + asOf + "."
				: "The sync did not complete; the portfolio shows the last data stored. Try again later.";
		return new Result(false, answer(completed, completed ? "COMPLETED" : "FAILED", message,
				new ArrayList<>(executions), asOf, notes));
	}

	private Map<String, Object> answer(boolean success, String state, String message, List<Long> executions,
			OffsetDateTime lastUpdated, List<String> notes) {
		return Map.of("success", success, "state", state, "message", message, "execution_ids", executions,
				"last_updated", (lastUpdated != null) ? lastUpdated.toInstant().toString() : "", "notes", notes);
	}

	private boolean finished(SyncScope scope, Set<Long> executions) {
		this.jdbc.sql("SELECT job_execution_id FROM sync_requests WHERE scope_key = :scope AND job_name IN (:jobs) AND job_execution_id IS NOT NULL")
			.param("scope", scope.key())
			.param("jobs", JOBS.stream().map(SyncJob::jobName).toList())
			.query(Long.class)
			.list()
			.forEach(executions::add);
		long requests = this.jdbc.sql("SELECT count(*) FROM sync_requests WHERE scope_key = :scope AND job_name IN (:jobs)")
			.param("scope", scope.key())
			.param("jobs", JOBS.stream().map(SyncJob::jobName).toList())
			.query(Long.class)
			.single();
		return requests == 0 && executions.stream().map(this::status).noneMatch(
				(status) -> status == null || "STARTING".equals(status) || "STARTED".equals(status) || "STOPPING".equals(status));
	}

	private String status(long executionId) {
		return this.jdbc.sql("SELECT status FROM batch_job_execution WHERE job_execution_id = :id")
			.param("id", executionId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private List<String> activeItems(UUID userId) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("SELECT item_id FROM plaid_items WHERE user_id = :userId AND status = 'ACTIVE' ORDER BY id")
			.param("userId", userId)
			.query(String.class)
			.list());
	}

	private List<String> itemsNeedingTheUser(UUID userId) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("SELECT item_id, status_reason FROM plaid_items WHERE user_id = :userId AND status = 'NEEDS_USER' ORDER BY id")
			.param("userId", userId)
			.query((row, number) -> "Item " + row.getString(1) + " needs you to reconnect (" + row.getString(2)
					+ "): POST /api/plaid/items/" + row.getString(1) + "/link-token.")
			.list());
	}

	/**
	 * When Plaid's data is from: each item's {@code /item/get} status.investments.last_successful_update (else its
	 * stored holdings as-of); the oldest item decides, since the portfolio is only as fresh as its stalest part.
	 */
	private OffsetDateTime plaidDataAsOf(UUID userId, List<String> items) {
		List<OffsetDateTime> times = new ArrayList<>();
		for (String itemId : items) {
			try {
				times.add(this.freshness.plaidDataAsOf(itemId).orElseGet(() -> storedAsOf(userId, itemId)));
			}
			catch (PlaidFailure failure) {
				log.debug("/item/get failed for {} ({}); using the stored as-of", itemId, failure.errorCode());
				times.add(storedAsOf(userId, itemId));
			}
		}
		return times.stream().filter(Objects::nonNull).min(OffsetDateTime::compareTo).orElse(null);
	}

	private OffsetDateTime storedAsOf(UUID userId) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("SELECT min(coalesce(holdings_as_of, holdings_synced_at)) FROM plaid_items WHERE user_id = :userId AND status = 'ACTIVE'")
			.param("userId", userId)
			.query(OffsetDateTime.class)
			.optional()
			.orElse(null));
	}

	private OffsetDateTime storedAsOf(UUID userId, String itemId) {
		return this.session.read(userId, (jdbc) -> jdbc
			.sql("SELECT coalesce(holdings_as_of, holdings_synced_at) FROM plaid_items WHERE user_id = :userId AND item_id = :itemId")
			.param("userId", userId)
			.param("itemId", itemId)
			.query(OffsetDateTime.class)
			.optional()
			.orElse(null));
	}

	/** Adds the fresh total to an answer; the cache entry is replaced, since the sync just changed the data. */
	Map<String, Object> withTotal(UUID userId, Map<String, Object> answer) {
		this.cache.evict(userId);
		Map<String, Object> summary = this.cache.get(userId, () -> this.summaries.summary(userId));
		List<Object> totals = new ArrayList<>();
		for (Object total : (List<?>) summary.get("totals")) {
			totals.add(((Map<?, ?>) total).get("total_value"));
		}
		Map<String, Object> full = new LinkedHashMap<>();
		full.put("success", answer.get("success"));
		full.put("message", answer.get("message"));
		full.put("total_value", totals);
		full.put("last_updated", "".equals(answer.get("last_updated")) ? null : answer.get("last_updated"));
		full.put("state", answer.get("state"));
		full.put("execution_ids", answer.get("execution_ids"));
		full.put("notes", answer.get("notes"));
		return full;
	}

	/**
	 * @param accepted the runs outlived the timeout: answered 202
	 */
	record Result(boolean accepted, Map<String, Object> answer) {
	}

}
