package dev.plaidsync.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The job runtime's executions, read and purged for the operations module, which names
 * none of the runtime's tables (Spring Batch's, {@code job_execution_owners},
 * {@code sync_item_failures}, {@code engine_nodes}): lists by job, status and time,
 * newest first; an execution's owner and failed items; what the alerts count; the hourly
 * chart of items synced; and the retention purge in tiers. Thread-safe; every read is one
 * statement.
 */
@Component
public class JobExecutions {

	static final String SUMMARY = """
			SELECT e.job_execution_id AS id, i.job_name, e.status, e.exit_code, left(e.exit_message, 500) AS exit_message,
			       e.create_time, e.start_time, e.end_time,
			       (SELECT string_agg(p.parameter_name || '=' || p.parameter_value, ', ' ORDER BY p.parameter_name)
			        FROM batch_job_execution_params p WHERE p.job_execution_id = e.job_execution_id AND p.identifying = 'Y') AS parameters,
			       o.node_id, o.orphaned_at, o.stopped_for_shutdown_at, o.resumed_as
			FROM batch_job_execution e
			JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
			LEFT JOIN job_execution_owners o ON o.job_execution_id = e.job_execution_id
			""";

	/** Up to {@code :cap} executions matching the filters, counted newest first. */
	static final String COUNT = """
			SELECT count(*) FROM (SELECT 1 FROM batch_job_execution e
			WHERE (CAST(:job AS text) IS NULL
			       OR (SELECT i.job_name FROM batch_job_instance i WHERE i.job_instance_id = e.job_instance_id) = :job)
			  AND (CAST(:status AS text) IS NULL OR e.status = :status)
			  AND (CAST(:from AS timestamp) IS NULL OR e.create_time >= :from)
			  AND (CAST(:to AS timestamp) IS NULL OR e.create_time < :to)
			ORDER BY e.job_execution_id DESC LIMIT :cap) AS matching
			""";

	/** The newest execution of each job in {@code :jobs}. */
	static final String LAST_PER_JOB = SUMMARY + """
			WHERE e.job_execution_id IN (SELECT (SELECT max(o2.job_execution_id) FROM job_execution_owners o2
			                                     WHERE o2.job_name = j.name)
			                             FROM unnest(ARRAY[:jobs]) AS j (name))
			ORDER BY i.job_name
			""";

	/** Each job's last completed run of scope ALL. */
	static final String LAST_SCHEDULED_COMPLETIONS = """
			SELECT i.job_name, max(e.end_time) FROM batch_job_execution e
			JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
			JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
			WHERE e.status = 'COMPLETED' AND p.parameter_name = 'scope' AND p.parameter_value = 'ALL'
			GROUP BY i.job_name
			""";

	/** FAILED or STOPPED executions that are their instance's last. */
	static final String UNRESOLVED_FAILURES = """
			SELECT count(*) FROM batch_job_execution e
			WHERE e.status IN ('FAILED', 'STOPPED')
			  AND e.job_execution_id = (SELECT max(later.job_execution_id) FROM batch_job_execution later
			                            WHERE later.job_instance_id = e.job_instance_id)
			""";

	/** Items each sync job stored per hour, the last 24 hours. */
	static final String ITEMS_SYNCED_PER_HOUR = """
			WITH hours AS (
			    SELECT generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()),
			                           interval '1 hour') AS hour
			), steps AS (
			    SELECT s.step_name,
			           date_trunc('hour', CAST(coalesce(s.end_time, s.last_updated) AS timestamptz)) AS hour,
			           greatest(0, s.write_count - (SELECT count(*) FROM sync_item_failures f
			                                        WHERE f.job_execution_id = s.job_execution_id)) AS synced
			    FROM batch_step_execution s
			    WHERE coalesce(s.end_time, s.last_updated) >= CAST(date_trunc('hour', now()) - interval '23 hours' AS timestamp)
			      AND s.step_name IN ('holdingsSyncStep', 'transactionsSyncStep', 'balancesSyncStep')
			)
			SELECT h.hour,
			       coalesce(sum(s.synced) FILTER (WHERE s.step_name = 'holdingsSyncStep'), 0)     AS holdings,
			       coalesce(sum(s.synced) FILTER (WHERE s.step_name = 'transactionsSyncStep'), 0) AS transactions,
			       coalesce(sum(s.synced) FILTER (WHERE s.step_name = 'balancesSyncStep'), 0)     AS balances
			FROM hours h
			LEFT JOIN steps s ON s.hour = h.hour
			GROUP BY h.hour
			ORDER BY h.hour
			""";

	/**
	 * How long a gauge's count may run before it is cancelled: a plan gone bad must not
	 * run for minutes.
	 */
	static final Duration GAUGE_TIMEOUT = Duration.ofSeconds(10);

	private final JdbcClient jdbc;

	private final JdbcClient gauges;

	private final JobRepository jobRepository;

	private final List<String> jobNames;

	JobExecutions(JdbcClient jdbc, DataSource dataSource, JobRepository jobRepository, List<Job> jobs) {
		this.jdbc = jdbc;
		JdbcTemplate bounded = new JdbcTemplate(dataSource);
		bounded.setQueryTimeout((int) GAUGE_TIMEOUT.toSeconds());
		this.gauges = JdbcClient.create(bounded);
		this.jobRepository = jobRepository;
		this.jobNames = jobs.stream().map(Job::getName).sorted().toList();
	}

	static final String FILTER = """
			WHERE (CAST(:job AS text) IS NULL OR i.job_name = :job)
			  AND (CAST(:status AS text) IS NULL OR e.status = :status)
			  AND (CAST(:from AS timestamp) IS NULL OR e.create_time >= :from)
			  AND (CAST(:to AS timestamp) IS NULL OR e.create_time < :to)
			""";

	static final String FIND = SUMMARY + FILTER + "ORDER BY e.job_execution_id DESC LIMIT :limit OFFSET :offset";

	/** Executions matching the filters (each may be null), newest first, one page. */
	public List<Summary> find(@Nullable String job, @Nullable String status, @Nullable Instant from,
			@Nullable Instant to, PageRequest page) {
		return this.jdbc.sql(FIND)
			.param("job", job)
			.param("status", status)
			.param("from", local(from))
			.param("to", local(to))
			.param("limit", page.size())
			.param("offset", page.offset())
			.query(Summary.class)
			.list();
	}

	/**
	 * How many executions match, counted up to {@link Page#COUNT_LIMIT}, newest first as
	 * the page is read: an index walk, never a scan of every execution. Only a job filter
	 * needs the execution's instance, and then it is looked up per execution by key: a
	 * join planned a hash join over every instance (a sequential scan) as soon as the
	 * status filter left fewer executions than the cap.
	 */
	public long count(@Nullable String job, @Nullable String status, @Nullable Instant from, @Nullable Instant to) {
		return this.jdbc.sql(COUNT)
			.param("job", job)
			.param("status", status)
			.param("from", local(from))
			.param("to", local(to))
			.param("cap", Page.COUNT_LIMIT)
			.query(Long.class)
			.single();
	}

	/** The newest execution of each job this engine runs that ran, by job name. */
	public List<Summary> lastPerJob() {
		return this.jdbc.sql(LAST_PER_JOB).param("jobs", this.jobNames).query(Summary.class).list();
	}

	/**
	 * The items the execution recorded as failed (up to 1,000), in the order they failed.
	 */
	public List<FailedItem> failedItems(long executionId) {
		return this.jdbc.sql("""
				SELECT item_id, failure_kind, error_code, message, occurred_at FROM sync_item_failures
				WHERE job_execution_id = :id ORDER BY occurred_at, item_id LIMIT 1000
				""").param("id", executionId).query(FailedItem.class).list();
	}

	/**
	 * The execution's {@code job_execution_owners} row by column name; empty when it has
	 * none.
	 */
	public Map<String, Object> ownership(long executionId) {
		return this.jdbc.sql(
				"SELECT node_id, orphaned_at, stopped_for_shutdown_at, resumed_at, resumed_as FROM job_execution_owners WHERE job_execution_id = :id")
			.param("id", executionId)
			.query()
			.listOfRows()
			.stream()
			.findFirst()
			.orElse(Map.of());
	}

	/**
	 * When each job's last scheduled (scope ALL) run completed, by job name; jobs never
	 * completed are absent.
	 */
	public Map<String, LocalDateTime> lastScheduledCompletions() {
		Map<String, LocalDateTime> completions = new LinkedHashMap<>();
		this.jdbc.sql(LAST_SCHEDULED_COMPLETIONS).query((row) -> {
			LocalDateTime ended = row.getObject(2, LocalDateTime.class);
			if (ended != null) {
				completions.put(row.getString(1), ended);
			}
		});
		return completions;
	}

	/**
	 * FAILED or STOPPED executions that are their instance's last: not yet abandoned or
	 * restarted to completion. Cancelled after {@link #GAUGE_TIMEOUT}: right after a bulk
	 * load or a restore, before the table is analyzed, its plan can scan the whole table
	 * once per failed execution (minutes at 1M executions, seen in the day benchmark).
	 * @throws org.springframework.dao.DataAccessException when cancelled
	 */
	public long unresolvedFailures() {
		return this.gauges.sql(UNRESOLVED_FAILURES).query(Long.class).single();
	}

	/**
	 * Items each sync job stored in the last 24 hours, one row per hour (oldest first,
	 * the current hour last, hours without anything included with zeros): a step's
	 * committed write count minus the items that failed in its execution, in the hour the
	 * step ended (or last committed a chunk, while it runs). A step that spans hours
	 * counts in its last one. Each sync job has one step, named for it, so the steps of
	 * the last 24 hours are read from {@code idx_batch_step_execution_activity} alone,
	 * without joining every execution and instance.
	 */
	public List<ItemsSyncedInHour> itemsSyncedPerHour() {
		return this.jdbc.sql(ITEMS_SYNCED_PER_HOUR).query(ItemsSyncedInHour.class).list();
	}

	/**
	 * Purges ended executions in tiers, walking them by end time in batches of
	 * {@code batch}, each in short transactions, so that no transaction is long and no
	 * lock is held across batches:
	 * <ul>
	 * <li>completed single-item and single-user runs (webhooks, users' syncs) older than
	 * {@code singleRunRetention};</li>
	 * <li>everything else that ended older than {@code retention}; but a failed or
	 * stopped sweep (scope ALL) that no operator resolved, by abandoning it or restarting
	 * it to completion, is kept however old.</li>
	 * </ul>
	 * A job instance goes when its last execution is due, through Spring Batch's own
	 * {@code JobRepository.deleteJobInstance} (its executions, parameters, steps and
	 * contexts), with the runtime's rows about those executions (owners, failed items).
	 * @return how many job instances were purged
	 */
	public long purgeEnded(Duration singleRunRetention, Duration retention, int batch) {
		double shortTier = singleRunRetention.toSeconds();
		double longTier = retention.toSeconds();
		LocalDateTime afterEnd = LocalDateTime.of(1970, 1, 1, 0, 0);
		long afterId = 0;
		long purged = 0;
		while (true) {
			List<PurgeCandidate> candidates = this.jdbc
				.sql("""
						SELECT e.job_execution_id, e.job_instance_id, e.end_time,
						       NOT EXISTS (SELECT 1 FROM batch_job_execution l WHERE l.job_instance_id = e.job_instance_id
						                   AND l.job_execution_id > e.job_execution_id)
						       AND CASE
						           WHEN s.parameter_value IN ('ITEM', 'USER') AND e.status = 'COMPLETED'
						               THEN e.end_time < localtimestamp - make_interval(secs => :shortTier)
						           WHEN coalesce(s.parameter_value, 'ALL') = 'ALL' AND e.status IN ('FAILED', 'STOPPED')
						               THEN false
						           ELSE e.end_time < localtimestamp - make_interval(secs => :longTier)
						       END AS due
						FROM batch_job_execution e
						LEFT JOIN batch_job_execution_params s ON s.job_execution_id = e.job_execution_id AND s.parameter_name = 'scope'
						WHERE e.end_time < localtimestamp - make_interval(secs => :walkUntil)
						  AND (e.end_time, e.job_execution_id) > (:afterEnd, :afterId)
						ORDER BY e.end_time, e.job_execution_id
						LIMIT :batch
						""")
				.param("shortTier", shortTier)
				.param("longTier", longTier)
				.param("walkUntil", Math.min(shortTier, longTier))
				.param("afterEnd", afterEnd)
				.param("afterId", afterId)
				.param("batch", batch)
				.query(PurgeCandidate.class)
				.list();
			if (candidates.isEmpty()) {
				return purged;
			}
			List<Long> due = candidates.stream()
				.filter(PurgeCandidate::due)
				.map(PurgeCandidate::jobInstanceId)
				.distinct()
				.toList();
			if (!due.isEmpty()) {
				this.jdbc
					.sql("""
							WITH executions AS (SELECT job_execution_id FROM batch_job_execution WHERE job_instance_id IN (:instances)),
							     failures AS (DELETE FROM sync_item_failures WHERE job_execution_id IN (SELECT job_execution_id FROM executions))
							DELETE FROM job_execution_owners WHERE job_execution_id IN (SELECT job_execution_id FROM executions)
							""")
					.param("instances", due)
					.update();
				for (long instanceId : due) {
					JobInstance instance = this.jobRepository.getJobInstance(instanceId);
					if (instance != null) {
						this.jobRepository.deleteJobInstance(instance);
						purged++;
					}
				}
			}
			PurgeCandidate last = candidates.get(candidates.size() - 1);
			afterEnd = last.endTime();
			afterId = last.jobExecutionId();
		}
	}

	/**
	 * Forgets the nodes unseen for longer than {@code retention} (their executions were
	 * long since orphaned).
	 */
	public void forgetNodesUnseenFor(Duration retention) {
		this.jdbc.sql("DELETE FROM engine_nodes WHERE last_seen_at < now() - make_interval(secs => :retention)")
			.param("retention", (double) retention.toSeconds())
			.update();
	}

	/**
	 * Spring Batch wraps the real reason, even "already complete", in a misleading
	 * message: the deepest cause's.
	 */
	public static String realCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	private static LocalDateTime local(Instant instant) {
		return (instant != null) ? LocalDateTime.ofInstant(instant, ZoneId.systemDefault()) : null;
	}

	/**
	 * One execution in a list; {@code orphanedAt} is set when its node died while it ran.
	 */
	public record Summary(long id, String jobName, String status, String exitCode, @Nullable String exitMessage,
			LocalDateTime createTime, @Nullable LocalDateTime startTime, @Nullable LocalDateTime endTime,
			@Nullable String parameters, @Nullable String nodeId, @Nullable OffsetDateTime orphanedAt,
			@Nullable OffsetDateTime stoppedForShutdownAt, @Nullable Long resumedAs) {
	}

	/** An item an execution failed, and why. */
	public record FailedItem(String itemId, String failureKind, String errorCode, String message,
			OffsetDateTime occurredAt) {
	}

	/** Items stored per sync job in one hour. */
	public record ItemsSyncedInHour(OffsetDateTime hour, long holdings, long transactions, long balances) {
	}

	private record PurgeCandidate(long jobExecutionId, long jobInstanceId, LocalDateTime endTime, boolean due) {
	}

}
