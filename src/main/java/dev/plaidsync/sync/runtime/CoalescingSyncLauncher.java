package dev.plaidsync.sync.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.plaidsync.common.EngineLifecycle;
import dev.plaidsync.common.NodeIdentity;
import dev.plaidsync.sync.LaunchOutcome.Status;
import dev.plaidsync.sync.LaunchOutcome;
import dev.plaidsync.sync.LaunchTier;
import dev.plaidsync.sync.SyncJob;
import dev.plaidsync.sync.SyncLauncher;
import dev.plaidsync.sync.SyncOptions;
import dev.plaidsync.sync.SyncRequests;
import dev.plaidsync.sync.SyncScope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The launcher of {@link SyncLauncher}: requests coalesced in {@code sync_requests},
 * which is also the launch queue. A run waits there (PENDING) until a node has a free
 * launch slot ({@code concurrent-jobs} tasks in its job executor); a node with a free
 * slot takes the waiting run of the first {@link LaunchTier}, oldest first, whose scope
 * has nothing running. Slots are filled when a request arrives, when a task of this
 * node's executor ends, and by a short poll (runs another node queued);
 * {@link #reconcile} is the safety net for what a dead node left behind. Nothing waits in
 * the executor's own queue, where it would be first in, first out and lost with its node.
 */
@Component("syncLauncher")
public class CoalescingSyncLauncher implements SyncLauncher {

	/**
	 * Frees the scopes whose run has ended, or whose run row was taken 2 minutes ago
	 * without a run starting.
	 */
	static final String FREE_ENDED_RUNS = """
			DELETE FROM sync_requests r WHERE r.state = 'RUNNING' AND (
			    (r.job_execution_id IS NULL AND r.started_at < now() - interval '2 minutes')
			    OR EXISTS (SELECT 1 FROM batch_job_execution e WHERE e.job_execution_id = r.job_execution_id
			               AND e.status NOT IN ('STARTING', 'STARTED', 'STOPPING')))
			""";

	private static final Logger log = LoggerFactory.getLogger(SyncLauncher.class);

	/**
	 * A request whose run ended unheard (its node died, and nothing resumed it) is ended
	 * after this.
	 */
	static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofMinutes(5);

	private final JdbcClient jdbc;

	private final NodeIdentity node;

	private final JobOperator jobOperator;

	private final ObjectProvider<Job> jobs;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final EngineLifecycle lifecycle;

	private final SyncRunEndings runEndings;

	private final TransactionTemplate transaction;

	private final ExecutionOwnership ownership;

	private final int launchSlots;

	private int reservedSlots;

	private volatile Map<String, Job> jobsByName;

	CoalescingSyncLauncher(JdbcClient jdbc, JobOperator jobOperator, ObjectProvider<Job> jobs, JsonMapper json,
			MeterRegistry meters, EngineLifecycle lifecycle, SyncRunEndings runEndings,
			PlatformTransactionManager transactionManager, NodeIdentity node, ExecutionOwnership ownership,
			SyncProperties properties) {
		this.ownership = ownership;
		this.launchSlots = properties.concurrentJobs();
		ownership.whenATaskEnds(this::startWaitingQuietly);
		this.jdbc = jdbc;
		this.node = node;
		this.runEndings = runEndings;
		this.transaction = new TransactionTemplate(transactionManager);
		this.lifecycle = lifecycle;
		this.jobOperator = jobOperator;
		this.jobs = jobs;
		this.json = json;
		this.meters = meters;
	}

	/**
	 * Asks for a run of {@code job} over {@code scope}. Idempotent per slot; safe to call
	 * from any node at any time.
	 * <p>
	 * The request joins the run of this job and scope that is waiting to start, if there
	 * is one, and otherwise waits for a new one: it never joins a run that has started,
	 * so the run that serves it fetches after it was made. A joined request keeps the
	 * widest ask: a FULL transactions window upgrades a ROUTINE one, interactive priority
	 * beats sweep priority, a sweep that skips nothing beats one that skips recently
	 * synced items, and the first tier of the two is kept. A webhook's request for an
	 * item whose user is watching ({@code sync_watched_items}) waits in the watched tier.
	 * @param slot the schedule's fire time for scheduled runs, otherwise the id of the
	 * event or request
	 * @return the outcome, with the request id that {@link SyncRequests} answers for once
	 * its run has ended
	 */
	@Override
	public LaunchOutcome request(SyncJob job, SyncScope scope, String slot, SyncOptions options) {
		RunRequest request = new RunRequest(slot, options.priority().name(), options.transactionsWindow().name(),
				(options.skipSyncedWithin() != null) ? options.skipSyncedWithin().toSeconds() : null);
		Joined joined = this.transaction.execute((status) -> {
			clearFinishedRun(job.jobName(), scope.key());
			Joined row = this.jdbc
				.sql("""
						INSERT INTO sync_requests (job_name, scope_key, state, parameters, tier)
						VALUES (:job, :scope, 'PENDING', CAST(:parameters AS jsonb),
						    CASE WHEN :tier = :webhookTier AND EXISTS (SELECT 1 FROM sync_watched_items w
						        WHERE w.item_id = :itemId AND w.watched_until > now()) THEN :watchedTier ELSE :tier END)
						ON CONFLICT (job_name, scope_key, state) DO UPDATE SET request_count = sync_requests.request_count + 1,
						    tier = least(sync_requests.tier, EXCLUDED.tier),
						    parameters = jsonb_build_object(
						        'slot', sync_requests.parameters -> 'slot',
						        'priority', CASE WHEN 'INTERACTIVE' IN (sync_requests.parameters ->> 'priority', EXCLUDED.parameters ->> 'priority')
						                         THEN 'INTERACTIVE' ELSE sync_requests.parameters ->> 'priority' END,
						        'window', CASE WHEN 'FULL' IN (sync_requests.parameters ->> 'window', EXCLUDED.parameters ->> 'window')
						                       THEN 'FULL' ELSE sync_requests.parameters ->> 'window' END,
						        'skipSyncedWithinSeconds', CASE
						            WHEN sync_requests.parameters ->> 'skipSyncedWithinSeconds' IS NULL
						              OR EXCLUDED.parameters ->> 'skipSyncedWithinSeconds' IS NULL THEN NULL
						            ELSE least(CAST(sync_requests.parameters ->> 'skipSyncedWithinSeconds' AS bigint),
						                       CAST(EXCLUDED.parameters ->> 'skipSyncedWithinSeconds' AS bigint)) END)
						RETURNING id, (xmax = 0)
						""")
				.param("job", job.jobName())
				.param("scope", scope.key())
				.param("parameters", this.json.writeValueAsString(request))
				.param("tier", options.tier().ordinal())
				.param("webhookTier", LaunchTier.WEBHOOK.ordinal())
				.param("watchedTier", LaunchTier.WATCHED.ordinal())
				.param("itemId", (scope.kind() == SyncScope.Kind.ITEM) ? scope.value() : "")
				.query((result, number) -> new Joined(result.getLong(1), result.getBoolean(2), 0))
				.single();
			long requestId = this.jdbc
				.sql("""
						INSERT INTO sync_run_requests (job_name, scope_key, run_row_id) VALUES (:job, :scope, :row) RETURNING id
						""")
				.param("job", job.jobName())
				.param("scope", scope.key())
				.param("row", row.runRow())
				.query(Long.class)
				.single();
			return new Joined(row.runRow(), row.inserted(), requestId);
		});
		if (!joined.inserted()) {
			return new LaunchOutcome(Status.JOINED_PENDING, null, "A " + job.jobName() + " run for " + scope.key()
					+ " is already waiting to start; this request joined it", joined.requestId());
		}
		LaunchOutcome outcome = startWaiting().get(joined.runRow());
		if (outcome == null) {
			outcome = waiting(job, scope, options.tier());
		}
		return new LaunchOutcome(outcome.status(), outcome.jobExecutionId(), outcome.message(), joined.requestId());
	}

	private LaunchOutcome waiting(SyncJob job, SyncScope scope, LaunchTier tier) {
		if (this.lifecycle.isShuttingDown()) {
			return new LaunchOutcome(Status.DEFERRED, null,
					"This node is shutting down; the run waits for another node to start it", 0);
		}
		boolean running = this.jdbc
			.sql("""
					SELECT EXISTS (SELECT 1 FROM sync_requests WHERE job_name = :job AND scope_key = :scope AND state = 'RUNNING')
					""")
			.param("job", job.jobName())
			.param("scope", scope.key())
			.query(Boolean.class)
			.single();
		if (running) {
			return new LaunchOutcome(Status.QUEUED_AFTER_RUNNING, null,
					"A " + job.jobName() + " run for " + scope.key() + " is in progress; a fresh run will follow it",
					0);
		}
		return new LaunchOutcome(Status.QUEUED, null, "The " + job.jobName() + " run for " + scope.key()
				+ " waits for a free launch slot in tier " + tier + "; runs start highest tier first", 0);
	}

	/**
	 * Fills this node's free launch slots from the launch queue: the first tier's oldest
	 * waiting run whose scope has nothing running, one at a time.
	 * @return what became of each run row this call promoted, by its id
	 */
	Map<Long, LaunchOutcome> startWaiting() {
		Map<Long, LaunchOutcome> started = new LinkedHashMap<>();
		for (int attempt = 0; attempt < 2 * this.launchSlots && !this.lifecycle.isShuttingDown()
				&& reserveSlot(); attempt++) {
			try {
				Optional<PromotedRequest> next;
				try {
					next = promoteNext();
				}
				catch (DuplicateKeyException anotherNodeStartedThatScope) {
					continue;
				}
				if (next.isEmpty()) {
					break;
				}
				PromotedRequest request = next.get();
				started.put(request.id(), launch(request.jobName(), request.scopeKey(), request));
			}
			finally {
				releaseSlot();
			}
		}
		return started;
	}

	private void startWaitingQuietly() {
		try {
			startWaiting();
		}
		catch (DataAccessException | org.springframework.transaction.TransactionException ex) {
			log.debug("Could not start waiting runs now; the queue poll will: {}", ex.getMessage());
		}
	}

	/**
	 * Runs another node queued, or that waited while this node's slots were full, start
	 * within this interval of a slot freeing anywhere.
	 */
	@Scheduled(fixedDelayString = "${plaidsync.sync.queue-poll-interval:1s}",
			initialDelayString = "${plaidsync.sync.queue-poll-interval:1s}")
	void pollQueue() {
		startWaitingQuietly();
	}

	private synchronized boolean reserveSlot() {
		if (this.reservedSlots + this.ownership.tasksHeld() >= this.launchSlots) {
			return false;
		}
		this.reservedSlots++;
		return true;
	}

	private synchronized void releaseSlot() {
		this.reservedSlots--;
	}

	private Optional<PromotedRequest> promoteNext() {
		return this.jdbc
			.sql("""
					UPDATE sync_requests p SET state = 'RUNNING', started_at = now(), node_id = :node
					WHERE p.state = 'PENDING' AND p.id = (
					    SELECT q.id FROM sync_requests q WHERE q.state = 'PENDING'
					    AND NOT EXISTS (SELECT 1 FROM sync_requests r WHERE r.job_name = q.job_name AND r.scope_key = q.scope_key
					                    AND r.state = 'RUNNING')
					    ORDER BY q.tier, q.requested_at, q.id LIMIT 1 FOR UPDATE SKIP LOCKED)
					RETURNING p.id, p.job_name, p.scope_key, p.parameters::text, p.request_count
					""")
			.param("node", this.node.id())
			.query((row, number) -> new PromotedRequest(row.getLong(1), row.getString(2), row.getString(3),
					this.json.readValue(row.getString(4), RunRequest.class), row.getInt(5)))
			.optional();
	}

	/**
	 * Called when an execution ends on this node: frees its scope, so that the run
	 * waiting behind it may start, in its tier, once the execution's launch slot frees.
	 */
	void runFinished(JobExecution execution) {
		String scopeKey = scopeKey(execution.getJobParameters());
		String jobName = execution.getJobInstance().getJobName();
		this.jdbc.sql("""
				DELETE FROM sync_requests WHERE job_name = :job AND scope_key = :scope AND state = 'RUNNING'
				AND (job_execution_id = :executionId OR job_execution_id IS NULL)
				""").param("job", jobName).param("scope", scopeKey).param("executionId", execution.getId()).update();
	}

	/**
	 * The safety net for what a dead node left behind: frees scopes whose run has ended
	 * or never started, and starts runs that are waiting with nothing in their way.
	 */
	@Scheduled(fixedDelayString = "${plaidsync.sync.reconcile-interval:15s}",
			initialDelayString = "${plaidsync.sync.reconcile-interval:15s}")
	void reconcile() {
		this.jdbc.sql(FREE_ENDED_RUNS).update();
		startWaiting();
		this.runEndings.endAbandonedRequests(ABANDONED_AFTER);
		this.jdbc.sql("DELETE FROM sync_watched_items WHERE watched_until < now()").update();
		this.jdbc.sql("DELETE FROM sync_run_requests WHERE ended_at < now() - interval '7 days'").update();
	}

	private void clearFinishedRun(String jobName, String scopeKey) {
		this.jdbc.sql("""
				DELETE FROM sync_requests r WHERE r.job_name = :job AND r.scope_key = :scope AND r.state = 'RUNNING'
				AND EXISTS (SELECT 1 FROM batch_job_execution e WHERE e.job_execution_id = r.job_execution_id
				            AND e.status NOT IN ('STARTING', 'STARTED', 'STOPPING'))
				""").param("job", jobName).param("scope", scopeKey).update();
	}

	private LaunchOutcome launch(String jobName, String scopeKey, PromotedRequest request) {
		SyncScope scope = SyncScope.ofKey(scopeKey);
		JobParameters parameters = parameters(scope, request.request(), request.id());
		try {
			JobExecution execution = this.ownership.launch(() -> this.jobOperator.start(job(jobName), parameters));
			this.jdbc.sql("UPDATE sync_requests SET job_execution_id = :executionId WHERE id = :id")
				.param("executionId", execution.getId())
				.param("id", request.id())
				.update();
			this.jdbc.sql(
					"UPDATE sync_run_requests SET job_execution_id = :executionId WHERE run_row_id = :row AND ended_at IS NULL")
				.param("executionId", execution.getId())
				.param("row", request.id())
				.update();
			Counter.builder("sync.launches")
				.description("Sync executions this node started")
				.tags("job", jobName, "scope", scope.kind().name())
				.register(this.meters)
				.increment();
			if (scope.kind() == SyncScope.Kind.ITEM) {
				log.debug("Started {} #{} for {} (slot {}, {} request(s) coalesced)", jobName, execution.getId(),
						scopeKey, request.request().slot(), request.requestCount());
			}
			else {
				log.info("Started {} #{} for {} (slot {}, {} request(s) coalesced)", jobName, execution.getId(),
						scopeKey, request.request().slot(), request.requestCount());
			}
			return new LaunchOutcome(Status.STARTED, execution.getId(),
					"Started " + jobName + " execution " + execution.getId() + " for " + scopeKey, 0);
		}
		catch (JobInstanceAlreadyCompleteException ex) {
			freeRunningRow(request.id());
			this.runEndings.notRun(request.id(), jobName, scopeKey,
					"slot " + request.request().slot() + " already completed");
			return new LaunchOutcome(Status.ALREADY_COMPLETE, null,
					jobName + " for " + scopeKey + " in slot " + request.request().slot() + " already completed", 0);
		}
		catch (JobExecutionAlreadyRunningException ex) {
			freeRunningRow(request.id());
			this.runEndings.notRun(request.id(), jobName, scopeKey,
					"slot " + request.request().slot() + " is already running");
			return new LaunchOutcome(Status.QUEUED_AFTER_RUNNING, null,
					jobName + " for " + scopeKey + " in slot " + request.request().slot() + " is already running", 0);
		}
		catch (Exception ex) {
			backToPending(request);
			log.warn("Could not start {} for {} now; it waits for the next attempt: {}", jobName, scopeKey,
					ex.getMessage());
			return new LaunchOutcome(Status.DEFERRED, null,
					"Could not start " + jobName + " for " + scopeKey + " now; it waits and starts on the next attempt",
					0);
		}
	}

	/**
	 * A run that could not start waits again, merged into any request that arrived
	 * meanwhile; none is lost.
	 */
	private void backToPending(PromotedRequest request) {
		try {
			this.jdbc
				.sql("UPDATE sync_requests SET state = 'PENDING', started_at = NULL, node_id = NULL WHERE id = :id")
				.param("id", request.id())
				.update();
		}
		catch (DuplicateKeyException anotherRequestIsWaiting) {
			this.transaction.executeWithoutResult((status) -> {
				this.jdbc
					.sql("""
							UPDATE sync_run_requests q SET run_row_id = p.id
							FROM sync_requests r, sync_requests p WHERE r.id = :id AND p.job_name = r.job_name
							AND p.scope_key = r.scope_key AND p.state = 'PENDING' AND q.run_row_id = r.id AND q.ended_at IS NULL
							""")
					.param("id", request.id())
					.update();
				this.jdbc.sql("""
						UPDATE sync_requests p SET request_count = p.request_count + r.request_count
						FROM sync_requests r WHERE r.id = :id AND p.job_name = r.job_name AND p.scope_key = r.scope_key
						AND p.state = 'PENDING'
						""").param("id", request.id()).update();
				freeRunningRow(request.id());
			});
		}
	}

	private void freeRunningRow(long id) {
		this.jdbc.sql("DELETE FROM sync_requests WHERE id = :id").param("id", id).update();
	}

	static JobParameters parameters(SyncScope scope, RunRequest request, long runRow) {
		JobParametersBuilder builder = new JobParametersBuilder().addString("scope", scope.kind().name());
		switch (scope.kind()) {
			case USER -> builder.addString("userId", scope.value());
			case ITEM -> builder.addString("itemId", scope.value());
			case ALL -> {
			}
		}
		builder.addString("slot", request.slot())
			.addString("priority", request.priority(), false)
			.addString("window", request.window(), false)
			.addLong(SyncRunEndings.RUN_ROW, runRow, false);
		if (request.skipSyncedWithinSeconds() != null) {
			builder.addLong("skipSyncedWithinSeconds", request.skipSyncedWithinSeconds(), false);
		}
		return builder.toJobParameters();
	}

	public static String scopeKey(JobParameters parameters) {
		SyncScope.Kind kind = SyncScope.Kind.valueOf(parameters.getString("scope"));
		return switch (kind) {
			case ALL -> SyncScope.all().key();
			case USER -> new SyncScope(kind, parameters.getString("userId")).key();
			case ITEM -> new SyncScope(kind, parameters.getString("itemId")).key();
		};
	}

	private Job job(String jobName) {
		Map<String, Job> byName = this.jobsByName;
		if (byName == null) {
			byName = this.jobs.stream().collect(Collectors.toMap(Job::getName, Function.identity()));
			this.jobsByName = byName;
		}
		Job job = byName.get(jobName);
		if (job == null) {
			throw new IllegalArgumentException("No job is named " + jobName);
		}
		return job;
	}

	record RunRequest(String slot, String priority, String window, @Nullable Long skipSyncedWithinSeconds) {
	}

	private record PromotedRequest(long id, String jobName, String scopeKey, RunRequest request, int requestCount) {
	}

	private record Joined(long runRow, boolean inserted, long requestId) {
	}

}
