package dev.plaidsync.portfolio;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plaidsync.items.ItemFreshness;
import dev.plaidsync.items.LinkedItems;
import dev.plaidsync.items.PlaidRequestFailed;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.RequestOutcome;
import dev.plaidsync.sync.SyncRequests;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The seed's force-sync: syncs the user's ACTIVE items now (holdings, and transactions
 * over the routine window), optionally after asking Plaid for fresh data
 * ({@code /investments/refresh}, where the institution supports it), and waits for the
 * runs up to {@code plaidsync.api.force-sync.timeout}, without holding a servlet thread.
 * Runs are requested through the launcher, so a force-sync joins a run of the same user
 * that has not started yet instead of doubling Plaid calls; it never counts a run that
 * started before it as its own.
 */
@Component
class ForceSync implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ForceSync.class);

	private static final List<SyncJob> JOBS = List.of(SyncJob.HOLDINGS, SyncJob.TRANSACTIONS);

	private final SyncLauncher launcher;

	private final ItemFreshness freshness;

	private final LinkedItems items;

	private final PortfolioSummaries summaries;

	private final PortfolioCache cache;

	private final UserApiProperties properties;

	private final SyncRequests requests;

	/**
	 * Builds answers once runs ended: it may call Plaid's /item/get, which must not run
	 * on a listener thread.
	 */
	private final ThreadPoolTaskExecutor executor;

	ForceSync(SyncLauncher launcher, SyncRequests requests, ItemFreshness freshness, LinkedItems items,
			PortfolioSummaries summaries, PortfolioCache cache, UserApiProperties properties) {
		this.launcher = launcher;
		this.requests = requests;
		this.executor = new ThreadPoolTaskExecutor();
		this.executor.setCorePoolSize(4);
		this.executor.setMaxPoolSize(4);
		this.executor.setQueueCapacity(10_000);
		this.executor.setThreadNamePrefix("force-sync-");
		this.executor.initialize();
		this.freshness = freshness;
		this.items = items;
		this.summaries = summaries;
		this.cache = cache;
		this.properties = properties;
	}

	/**
	 * Requests the runs and completes when they have ended, or with a 202 answer at the
	 * timeout. Holds no thread while it waits: completion comes from the run-ended
	 * contract ({@link SyncRequests}), on any replica.
	 */
	CompletableFuture<Result> run(UUID userId) {
		List<String> items = activeItems(userId);
		if (items.isEmpty()) {
			return CompletableFuture.completedFuture(new Result(false, answer(false, "NOTHING_TO_SYNC",
					"You have no brokerage that can sync: link one, or reconnect those that need you (GET /api/plaid/items).",
					List.of(), null, List.of())));
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
		List<Long> requestIds = new ArrayList<>();
		for (SyncJob job : JOBS) {
			LaunchOutcome outcome = this.launcher.request(job, scope, slot, SyncOptions.interactive());
			requestIds.add(outcome.requestId());
			if (outcome.jobExecutionId() != null) {
				executions.add(outcome.jobExecutionId());
			}
		}
		return this.requests.whenEnded(requestIds)
			.orTimeout(this.properties.forceSync().timeout().toMillis(), TimeUnit.MILLISECONDS)
			.handleAsync((ended, failure) -> (failure == null) ? ended(userId, items, ended, notes)
					: stillRunning(userId, executions, notes), this.executor);
	}

	private Result ended(UUID userId, List<String> items, List<RequestOutcome> ended, List<String> notes) {
		List<Long> executions = ended.stream()
			.map(RequestOutcome::jobExecutionId)
			.filter(Objects::nonNull)
			.distinct()
			.toList();
		boolean completed = ended.stream().allMatch(RequestOutcome::allWritten);
		ended.stream()
			.flatMap((outcome) -> outcome.items().stream())
			.filter((item) -> !item.written() && item.errorCode() != null)
			.map((item) -> "Item " + item.itemId() + " did not sync (" + item.errorCode() + ").")
			.distinct()
			.forEach(notes::add);
		notes.addAll(itemsNeedingTheUser(userId));
		OffsetDateTime asOf = plaidDataAsOf(userId, items);
		String message = completed ? "Synced " + items.size() + " item(s). Plaid's data is as of " + asOf + "."
				: "The sync did not complete for every item; the portfolio shows the last data stored. Try again later.";
		return new Result(false,
				answer(completed, completed ? "COMPLETED" : "FAILED", message, executions, asOf, notes));
	}

	private Result stillRunning(UUID userId, Set<Long> executions, List<String> notes) {
		return new Result(true,
				answer(true, "RUNNING",
						"The sync is still running; GET /api/portfolio/stream tells you when your portfolio changes.",
						new ArrayList<>(executions), storedAsOf(userId), notes));
	}

	private static Outcome answer(boolean success, String state, String message, List<Long> executions,
			OffsetDateTime lastUpdated, List<String> notes) {
		return new Outcome(success, state, message, executions,
				(lastUpdated != null) ? lastUpdated.toInstant().toString() : null, notes);
	}

	private List<String> activeItems(UUID userId) {
		return this.items.activeItemIds(userId);
	}

	private List<String> itemsNeedingTheUser(UUID userId) {
		return this.items.needingUser(userId)
			.stream()
			.map((item) -> "Item " + item.itemId() + " needs you to reconnect (" + item.statusReason()
					+ "): POST /api/plaid/items/" + item.itemId() + "/link-token.")
			.toList();
	}

	/**
	 * When Plaid's data is from: each item's {@code /item/get}
	 * status.investments.last_successful_update (else its stored holdings as-of); the
	 * oldest item decides, since the portfolio is only as fresh as its stalest part.
	 */
	private OffsetDateTime plaidDataAsOf(UUID userId, List<String> items) {
		List<OffsetDateTime> times = new ArrayList<>();
		for (String itemId : items) {
			try {
				times.add(this.freshness.plaidDataAsOf(itemId).orElseGet(() -> storedAsOf(userId, itemId)));
			}
			catch (PlaidRequestFailed failure) {
				log.debug("/item/get failed for {} ({}); using the stored as-of", itemId, failure.errorCode());
				times.add(storedAsOf(userId, itemId));
			}
		}
		return times.stream().filter(Objects::nonNull).min(OffsetDateTime::compareTo).orElse(null);
	}

	private OffsetDateTime storedAsOf(UUID userId) {
		return this.items.oldestActiveHoldingsAsOf(userId).orElse(null);
	}

	private OffsetDateTime storedAsOf(UUID userId, String itemId) {
		return this.items.holdingsAsOf(userId, itemId).orElse(null);
	}

	/**
	 * Adds the fresh total to an answer; the cache entry is replaced, since the sync just
	 * changed the data.
	 */
	ForceSyncAnswer withTotal(UUID userId, Outcome outcome) {
		this.cache.evict(userId);
		PortfolioSummary summary = this.cache.get(userId, () -> this.summaries.summary(userId));
		List<Money> totals = summary.totals().stream().map(PortfolioSummary.CurrencyTotals::totalValue).toList();
		return new ForceSyncAnswer(outcome.success(), outcome.message(), totals, outcome.lastUpdated(), outcome.state(),
				outcome.executionIds(), outcome.notes());
	}

	@Override
	public void destroy() {
		this.executor.shutdown();
	}

	/**
	 * @param accepted the runs outlived the timeout: answered 202
	 */
	record Result(boolean accepted, Outcome answer) {
	}

	/** How the runs ended (or that they still run), before the fresh total is added. */
	record Outcome(boolean success, String state, String message, List<Long> executionIds, String lastUpdated,
			List<String> notes) {
	}

	/**
	 * {@code POST /api/portfolio/force-sync}: how the sync went, the fresh total per
	 * currency, and when Plaid's data is from ({@code last_updated}, null when unknown).
	 */
	record ForceSyncAnswer(boolean success, String message, @JsonProperty("total_value") List<Money> totalValue,
			@JsonProperty("last_updated") String lastUpdated, String state,
			@JsonProperty("execution_ids") List<Long> executionIds, List<String> notes) {
	}

}
