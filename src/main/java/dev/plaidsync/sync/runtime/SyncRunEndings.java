package dev.plaidsync.sync.runtime;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.plaidsync.common.EngineLifecycle;
import dev.plaidsync.items.ItemSyncMarkers;
import dev.plaidsync.items.SyncedProduct;
import dev.plaidsync.sync.RequestOutcome.ItemResult;
import dev.plaidsync.sync.RequestOutcome;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncRunEnded;
import dev.plaidsync.sync.SyncScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records that a run has ended for the requests it served, with each item's result, in
 * one transaction that also sends {@code NOTIFY} to other replicas and publishes
 * {@link SyncRunEnded} (stored with it, delivered after the commit even if this node dies
 * right after it).
 * <p>
 * An execution stopped by this node's shutdown ends nothing: another node resumes it, and
 * the resumed execution (it carries the same {@code runRow} parameter) ends the requests.
 * The same holds for an orphaned execution: its node died before it could end anything,
 * and the resumed one does.
 */
@Component
class SyncRunEndings {

	static final String CHANNEL = "plaidsync_sync_runs";

	static final String RUN_ROW = "runRow";

	/**
	 * Unended requests older than {@code :after} seconds whose run row or run is gone:
	 * see endAbandonedRequests.
	 */
	static final String ABANDONED_REQUESTS = """
			SELECT r.id, r.job_name, r.scope_key, r.job_execution_id FROM sync_run_requests r
			WHERE r.ended_at IS NULL AND r.requested_at < now() - make_interval(secs => :after)
			  AND ((r.job_execution_id IS NULL
			        AND NOT EXISTS (SELECT 1 FROM sync_requests q WHERE q.id = r.run_row_id))
			    OR (r.job_execution_id IS NOT NULL AND NOT EXISTS (
			        SELECT 1 FROM batch_job_execution e JOIN batch_job_execution l ON l.job_instance_id = e.job_instance_id
			        WHERE e.job_execution_id = r.job_execution_id
			          AND (l.status IN ('STARTING', 'STARTED', 'STOPPING')
			               OR coalesce(l.end_time, l.last_updated, l.create_time)
			                  > localtimestamp - make_interval(secs => :after)))))
			ORDER BY r.id LIMIT 500
			""";

	private static final Logger log = LoggerFactory.getLogger(SyncRunEndings.class);

	private static final int IDS_PER_NOTIFY = 400;

	private final JdbcClient jdbc;

	private final JobRepository jobRepository;

	private final ApplicationEventPublisher events;

	private final EngineLifecycle lifecycle;

	private final JsonMapper json;

	private final TransactionTemplate ownTransaction;

	private final ItemSyncMarkers itemMarkers;

	SyncRunEndings(JdbcClient jdbc, JobRepository jobRepository, ApplicationEventPublisher events,
			EngineLifecycle lifecycle, JsonMapper json, PlatformTransactionManager transactionManager,
			ItemSyncMarkers itemMarkers) {
		this.itemMarkers = itemMarkers;
		this.jdbc = jdbc;
		this.jobRepository = jobRepository;
		this.events = events;
		this.lifecycle = lifecycle;
		this.json = json;
		this.ownTransaction = new TransactionTemplate(transactionManager);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** An execution ended on this node. */
	void executionEnded(JobExecution execution) {
		BatchStatus status = execution.getStatus();
		if (status != BatchStatus.COMPLETED && this.lifecycle.isShuttingDown()) {
			log.debug("{} #{} ended {} during shutdown; its requests wait for the resumed run",
					execution.getJobInstance().getJobName(), execution.getId(), status);
			return;
		}
		Long runRow = execution.getJobParameters().getLong(RUN_ROW);
		List<Long> requestIds = (runRow != null)
				? this.jdbc.sql("SELECT id FROM sync_run_requests WHERE run_row_id = :row AND ended_at IS NULL")
					.param("row", runRow)
					.query(Long.class)
					.list()
				: this.jdbc.sql("SELECT id FROM sync_run_requests WHERE job_execution_id = :id AND ended_at IS NULL")
					.param("id", execution.getId())
					.query(Long.class)
					.list();
		if (requestIds.isEmpty()) {
			return;
		}
		end(requestIds, execution.getJobInstance().getJobName(),
				CoalescingSyncLauncher.scopeKey(execution.getJobParameters()), execution, status.name());
	}

	/** Requests whose run row was freed without a run starting for them. */
	void notRun(long runRow, String jobName, String scopeKey, String why) {
		List<Long> requestIds = this.jdbc
			.sql("SELECT id FROM sync_run_requests WHERE run_row_id = :row AND ended_at IS NULL")
			.param("row", runRow)
			.query(Long.class)
			.list();
		if (!requestIds.isEmpty()) {
			log.info("{} request(s) for {} {} ended without a run: {}", requestIds.size(), jobName, scopeKey, why);
			end(requestIds, jobName, scopeKey, null, "NOT_RUN");
		}
	}

	/**
	 * The safety net, for runs whose end no node recorded: requests whose run row is gone
	 * without an execution, and requests whose execution's job instance has nothing
	 * running and has not been resumed for {@code after}.
	 */
	void endAbandonedRequests(java.time.Duration after) {
		double seconds = after.toSeconds();
		List<Map<String, Object>> lost = this.jdbc.sql(ABANDONED_REQUESTS).param("after", seconds).query().listOfRows();
		Map<Long, List<Long>> byExecution = new HashMap<>();
		Map<Long, String[]> runs = new HashMap<>();
		List<Long> neverRan = new ArrayList<>();
		for (Map<String, Object> row : lost) {
			Long executionId = (row.get("job_execution_id") != null)
					? ((Number) row.get("job_execution_id")).longValue() : null;
			long id = ((Number) row.get("id")).longValue();
			if (executionId == null) {
				neverRan.add(id);
				runs.putIfAbsent(-id, new String[] { (String) row.get("job_name"), (String) row.get("scope_key") });
			}
			else {
				byExecution.computeIfAbsent(executionId, (key) -> new ArrayList<>()).add(id);
			}
		}
		for (long id : neverRan) {
			String[] run = runs.get(-id);
			end(List.of(id), run[0], run[1], null, "NOT_RUN");
		}
		byExecution.forEach((executionId, ids) -> {
			JobExecution execution = this.jobRepository.getJobExecution(executionId);
			if (execution == null) {
				return;
			}
			JobExecution last = this.jobRepository.getJobExecutions(execution.getJobInstance())
				.stream()
				.max(java.util.Comparator.comparing(JobExecution::getId))
				.orElse(execution);
			log.warn("{} request(s) served by {} #{} never heard its end; ending them as {}", ids.size(),
					execution.getJobInstance().getJobName(), last.getId(), last.getStatus());
			end(ids, execution.getJobInstance().getJobName(),
					CoalescingSyncLauncher.scopeKey(execution.getJobParameters()), last, last.getStatus().name());
		});
	}

	private void end(List<Long> requestIds, String jobName, String scopeKey, JobExecution execution, String runStatus) {
		SyncScope scope = SyncScope.ofKey(scopeKey);
		Long executionId = (execution != null) ? execution.getId() : null;
		List<RequestOutcome> ended = this.ownTransaction.execute((status) -> {
			Map<String, ItemRunState> items = itemStates(jobName, scope, execution);
			Instant runBegan = runBegan(execution);
			List<RequestOutcome> outcomes = new ArrayList<>();
			for (long requestId : requestIds) {
				List<ItemResult> results = items.values()
					.stream()
					.map((item) -> item.result(runBegan, runStatus))
					.toList();
				this.jdbc.sql("""
						UPDATE sync_run_requests SET ended_at = now(), run_status = :status,
						    job_execution_id = coalesce(CAST(:executionId AS bigint), job_execution_id),
						    item_results = CAST(:results AS jsonb)
						WHERE id = :id AND ended_at IS NULL
						RETURNING requested_at, ended_at, job_execution_id
						""")
					.param("status", runStatus)
					.param("executionId", executionId)
					.param("results", this.json.writeValueAsString(results))
					.param("id", requestId)
					.query((row, number) -> new RequestOutcome(requestId, jobName, scopeKey,
							(Long) row.getObject("job_execution_id"), runStatus,
							row.getObject("requested_at", OffsetDateTime.class).toInstant(),
							row.getObject("ended_at", OffsetDateTime.class).toInstant(), results))
					.optional()
					.ifPresent(outcomes::add);
			}
			for (int from = 0; from < outcomes.size(); from += IDS_PER_NOTIFY) {
				String payload = String.join(",",
						outcomes.subList(from, Math.min(outcomes.size(), from + IDS_PER_NOTIFY))
							.stream()
							.map((outcome) -> Long.toString(outcome.requestId()))
							.toList());
				this.jdbc.sql("SELECT pg_notify(:channel, :payload)")
					.param("channel", CHANNEL)
					.param("payload", payload)
					.query()
					.listOfRows();
			}
			if (!outcomes.isEmpty()) {
				this.events
					.publishEvent(new SyncRunEnded(jobName, scopeKey, executionId, runStatus, List.copyOf(outcomes)));
			}
			return outcomes;
		});
		log.debug("{} for {} ended {} for {} request(s)", jobName, scopeKey, runStatus,
				(ended != null) ? ended.size() : 0);
	}

	/** When the run's first execution was created: a fetch for it started no earlier. */
	private Instant runBegan(JobExecution execution) {
		if (execution == null) {
			return Instant.MAX;
		}
		JobInstance instance = execution.getJobInstance();
		LocalDateTime first = this.jobRepository.getJobExecutions(instance)
			.stream()
			.map(JobExecution::getCreateTime)
			.filter(Objects::nonNull)
			.min(LocalDateTime::compareTo)
			.orElse(execution.getCreateTime());
		return first.atZone(ZoneId.systemDefault()).toInstant();
	}

	/**
	 * The items the run was for: an ITEM scope's item whatever its status (a webhook for
	 * a revoked item is told so); a USER scope's ACTIVE items, and those the run found
	 * failing.
	 */
	private Map<String, ItemRunState> itemStates(String jobName, SyncScope scope, JobExecution execution) {
		Map<String, ItemRunState> items = new java.util.TreeMap<>();
		if (scope.kind() == SyncScope.Kind.ALL) {
			return items;
		}
		SyncedProduct product = product(jobName);
		List<ItemSyncMarkers.ItemSyncState> states = (scope.kind() == SyncScope.Kind.ITEM)
				? this.itemMarkers.itemState(scope.value(), product).stream().toList()
				: this.itemMarkers.userItemStates(UUID.fromString(scope.value()), product);
		states.forEach((state) -> items.put(state.itemId(),
				new ItemRunState(state.itemId(), state.status(), state.statusReason(), state.lastErrorCode(),
						state.lastErrorMessage(), state.syncedAt(), null, null, null)));
		if (scope.kind() == SyncScope.Kind.ITEM && items.isEmpty()) {
			items.put(scope.value(),
					new ItemRunState(scope.value(), "REMOVED", "ITEM_NOT_FOUND", null, null, null, null, null, null));
		}
		if (execution != null && !items.isEmpty()) {
			List<Long> executions = this.jobRepository.getJobExecutions(execution.getJobInstance())
				.stream()
				.map(JobExecution::getId)
				.toList();
			this.jdbc.sql("""
					SELECT DISTINCT ON (item_id) item_id, failure_kind, error_code, message FROM sync_item_failures
					WHERE job_execution_id IN (:executions) AND item_id IN (:items)
					ORDER BY item_id, occurred_at DESC, id DESC
					""")
				.param("executions", executions)
				.param("items", List.copyOf(items.keySet()))
				.query((row, number) -> Map.entry(row.getString("item_id"),
						new String[] { row.getString("failure_kind"), row.getString("error_code"),
								row.getString("message") }))
				.list()
				.forEach((failure) -> items.computeIfPresent(failure.getKey(), (id, item) -> item
					.withFailure(failure.getValue()[0], failure.getValue()[1], failure.getValue()[2])));
		}
		if (scope.kind() == SyncScope.Kind.USER) {
			items.values().removeIf((item) -> !"ACTIVE".equals(item.status()) && item.failureKind() == null);
		}
		return items;
	}

	static SyncedProduct product(String jobName) {
		return switch (SyncJob.ofJobName(jobName)) {
			case HOLDINGS -> SyncedProduct.HOLDINGS;
			case TRANSACTIONS -> SyncedProduct.TRANSACTIONS;
			case BALANCES -> SyncedProduct.BALANCES;
		};
	}

	private record ItemRunState(String itemId, String status, String statusReason, String lastErrorCode,
			String lastErrorMessage, OffsetDateTime syncedAt, String failureKind, String failureCode,
			String failureMessage) {

		ItemRunState withFailure(String kind, String code, String message) {
			return new ItemRunState(this.itemId, this.status, this.statusReason, this.lastErrorCode,
					this.lastErrorMessage, this.syncedAt, kind, code, message);
		}

		ItemResult result(Instant runBegan, String runStatus) {
			if (this.syncedAt != null && !this.syncedAt.toInstant().isBefore(runBegan)) {
				return new ItemResult(this.itemId, true, null, null, false);
			}
			if (this.failureKind != null) {
				boolean retryable = !"ITEM_NEEDS_USER".equals(this.failureKind)
						&& !"ITEM_FAILED".equals(this.failureKind);
				return new ItemResult(this.itemId, false, this.failureCode, this.failureMessage, retryable);
			}
			if (!"ACTIVE".equals(this.status)) {
				String code = (this.statusReason != null) ? this.statusReason : "ITEM_" + this.status;
				return new ItemResult(this.itemId, false, code, "the item is " + this.status + "; it was not synced",
						false);
			}
			if (!"COMPLETED".equals(runStatus)) {
				return new ItemResult(this.itemId, false, "RUN_" + runStatus,
						"the run ended " + runStatus + " before it wrote this item", true);
			}
			String code = (this.lastErrorCode != null) ? this.lastErrorCode : "NOT_WRITTEN";
			String message = (this.lastErrorMessage != null) ? this.lastErrorMessage
					: "the run completed without writing this item's data";
			return new ItemResult(this.itemId, false, code, message, true);
		}

	}

	static Collection<Long> parseIds(String payload) {
		List<Long> ids = new ArrayList<>();
		for (String part : payload.split(",")) {
			try {
				ids.add(Long.parseLong(part.trim()));
			}
			catch (NumberFormatException ignored) {
				// not ours
			}
		}
		return ids;
	}

}
