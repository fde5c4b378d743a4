package dev.plaidsync.operations;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;

import org.springframework.batch.core.job.Job;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Spring Batch executions as operators look for them: by job, status and time, newest first. */
@Component
class Executions {

	private static final String SUMMARY = """
			SELECT e.job_execution_id AS id, i.job_name, e.status, e.exit_code, left(e.exit_message, 500) AS exit_message,
			       e.create_time, e.start_time, e.end_time,
			       (SELECT string_agg(p.parameter_name || '=' || p.parameter_value, ', ' ORDER BY p.parameter_name)
			        FROM batch_job_execution_params p WHERE p.job_execution_id = e.job_execution_id AND p.identifying = 'Y') AS parameters,
			       o.node_id, o.orphaned_at, o.stopped_for_shutdown_at, o.resumed_as
			FROM batch_job_execution e
			JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
			LEFT JOIN job_execution_owners o ON o.job_execution_id = e.job_execution_id
			""";

	private final JdbcClient jdbc;

	private final List<String> jobNames;

	Executions(JdbcClient jdbc, List<Job> jobs) {
		this.jdbc = jdbc;
		this.jobNames = jobs.stream().map(Job::getName).sorted().toList();
	}

	private static final String FILTER = """
			WHERE (CAST(:job AS text) IS NULL OR i.job_name = :job)
			  AND (CAST(:status AS text) IS NULL OR e.status = :status)
			  AND (CAST(:from AS timestamp) IS NULL OR e.create_time >= :from)
			  AND (CAST(:to AS timestamp) IS NULL OR e.create_time < :to)
			""";

	List<Summary> find(String job, String status, Instant from, Instant to, PageRequest page) {
		return this.jdbc.sql(SUMMARY + FILTER + "ORDER BY e.job_execution_id DESC LIMIT :limit OFFSET :offset")
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
	 * How many executions match, counted up to {@link Page#COUNT_LIMIT}, newest first as the page is read: an index walk,
	 * never a scan of every execution. Only a job filter needs the execution's instance, and then it is looked up per
	 * execution by key: a join planned a hash join over every instance (a sequential scan) as soon as the status filter
	 * left fewer executions than the cap.
	 */
	long count(String job, String status, Instant from, Instant to) {
		return this.jdbc.sql("""
				SELECT count(*) FROM (SELECT 1 FROM batch_job_execution e
				WHERE (CAST(:job AS text) IS NULL
				       OR (SELECT i.job_name FROM batch_job_instance i WHERE i.job_instance_id = e.job_instance_id) = :job)
				  AND (CAST(:status AS text) IS NULL OR e.status = :status)
				  AND (CAST(:from AS timestamp) IS NULL OR e.create_time >= :from)
				  AND (CAST(:to AS timestamp) IS NULL OR e.create_time < :to)
				ORDER BY e.job_execution_id DESC LIMIT :cap) AS matching
				""")
			.param("job", job)
			.param("status", status)
			.param("from", local(from))
			.param("to", local(to))
			.param("cap", Page.COUNT_LIMIT)
			.query(Long.class)
			.single();
	}

	List<Summary> lastPerJob() {
		return this.jdbc.sql(SUMMARY + """
				WHERE e.job_execution_id IN (SELECT (SELECT max(o2.job_execution_id) FROM job_execution_owners o2
				                                     WHERE o2.job_name = j.name)
				                             FROM unnest(ARRAY[:jobs]) AS j (name))
				ORDER BY i.job_name
				""").param("jobs", this.jobNames).query(Summary.class).list();
	}

	List<FailedItem> failedItems(long executionId) {
		return this.jdbc.sql("""
				SELECT item_id, failure_kind, error_code, message, occurred_at FROM sync_item_failures
				WHERE job_execution_id = :id ORDER BY occurred_at, item_id LIMIT 1000
				""").param("id", executionId).query(FailedItem.class).list();
	}

	Map<String, Object> ownership(long executionId) {
		return this.jdbc.sql("SELECT node_id, orphaned_at, stopped_for_shutdown_at, resumed_at, resumed_as FROM job_execution_owners WHERE job_execution_id = :id")
			.param("id", executionId).query().listOfRows().stream().findFirst().orElse(Map.of());
	}

	private static LocalDateTime local(Instant instant) {
		return (instant != null) ? LocalDateTime.ofInstant(instant, ZoneId.systemDefault()) : null;
	}

	/** One execution in a list; {@code orphanedAt} is set when its node died while it ran. */
	record Summary(long id, String jobName, String status, String exitCode, String exitMessage, LocalDateTime createTime,
			LocalDateTime startTime, LocalDateTime endTime, String parameters, String nodeId, OffsetDateTime orphanedAt,
			OffsetDateTime stoppedForShutdownAt, Long resumedAs) {
	}

	record FailedItem(String itemId, String failureKind, String errorCode, String message, OffsetDateTime occurredAt) {
	}

}
