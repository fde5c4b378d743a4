package dev.plaidsync.sync;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What became of each item in an execution, and of each run an item was part of, for the
 * operators' drill-down, read from what the runtime records: {@code sync_item_failures}
 * (failed and skipped items, with Plaid's code), {@code sync_item_retries} (the items
 * that wait for a follow-up run) and {@code sync_run_requests} (how each item of an ITEM
 * or USER run ended). A sweep (scope ALL) records only its failures: its written items
 * are counted from its steps, not listed. Read-only; every read goes through an index.
 */
@Component
public class ExecutionItems {

	/** The outcomes an operator can filter an execution's items by. */
	public enum Outcome {

		/** Stored from a fetch made for this run (listed for ITEM and USER runs). */
		WRITTEN,
		/** Plaid, the network or the item failed; Plaid's code is beside it. */
		FAILED,
		/** Fetched, but the database refused to store it ({@code UNSTORABLE_DATA}). */
		SKIPPED,
		/** Failed, and now on the follow-up list: a run of just this item is due. */
		RETRYING;

		/**
		 * @throws IllegalArgumentException naming the outcomes there are
		 */
		public static Outcome of(String name) {
			try {
				return valueOf(name.toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(
						"outcome must be one of WRITTEN, FAILED, SKIPPED, RETRYING, not " + name);
			}
		}

	}

	private static final String ITEMS = """
			WITH failed AS (
			    SELECT f.item_id, CASE WHEN f.failure_kind = 'UNSTORABLE' THEN 'SKIPPED' ELSE 'FAILED' END AS outcome,
			           f.failure_kind, f.error_code, f.message, f.occurred_at AS at,
			           r.attempts AS retry_attempts, r.due_at AS retry_due_at, (r.item_id IS NOT NULL) AS retrying
			    FROM sync_item_failures f
			    LEFT JOIN sync_item_retries r ON r.job_name = f.job_name AND r.item_id = f.item_id
			    WHERE f.job_execution_id = :id
			), written AS (
			    SELECT DISTINCT ON (x."itemId") x."itemId" AS item_id, 'WRITTEN' AS outcome, CAST(NULL AS text) AS failure_kind,
			           CAST(NULL AS text) AS error_code, CAST(NULL AS text) AS message, q.ended_at AS at,
			           CAST(NULL AS integer) AS retry_attempts, CAST(NULL AS timestamptz) AS retry_due_at, false AS retrying
			    FROM sync_run_requests q CROSS JOIN LATERAL jsonb_to_recordset(q.item_results) AS x ("itemId" text, written boolean)
			    WHERE q.job_execution_id = :id AND x.written
			      AND NOT EXISTS (SELECT 1 FROM sync_item_failures f WHERE f.job_execution_id = :id AND f.item_id = x."itemId")
			    ORDER BY x."itemId", q.ended_at
			), outcomes AS (
			    SELECT * FROM failed UNION ALL SELECT * FROM written
			)
			""";

	private static final String FILTER = """
			WHERE (CAST(:outcome AS text) IS NULL OR o.outcome = :outcome OR (:outcome = 'RETRYING' AND o.retrying))
			""";

	private final JdbcClient jdbc;

	ExecutionItems(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The execution's items with the given outcome (all when null): failed and skipped
	 * first, then written; each in the order they ended. The institution is the item's
	 * now.
	 */
	public Page<ExecutionItem> items(long executionId, @Nullable Outcome outcome, PageRequest request) {
		String wanted = (outcome != null) ? outcome.name() : null;
		List<ExecutionItem> items = this.jdbc
			.sql(ITEMS
					+ """
							SELECT o.item_id, o.outcome, o.failure_kind, o.error_code, o.message, o.at, o.retrying, o.retry_attempts,
							       o.retry_due_at, p.institution_id, p.institution_name
							FROM outcomes o LEFT JOIN item_institutions p ON p.item_id = o.item_id
							"""
					+ FILTER
					+ """
							ORDER BY CASE o.outcome WHEN 'FAILED' THEN 0 WHEN 'SKIPPED' THEN 1 ELSE 2 END, o.at, o.item_id
							LIMIT :limit OFFSET :offset
							""")
			.param("id", executionId)
			.param("outcome", wanted)
			.param("limit", request.size())
			.param("offset", request.offset())
			.query(ExecutionItem.class)
			.list();
		long counted = this.jdbc
			.sql(ITEMS + "SELECT count(*) FROM (SELECT 1 FROM outcomes o " + FILTER + " LIMIT :cap) AS matching")
			.param("id", executionId)
			.param("outcome", wanted)
			.param("cap", Page.COUNT_LIMIT)
			.query(Long.class)
			.single();
		return Page.of(items, counted);
	}

	/**
	 * How many of the execution's items failed, were skipped, wait for a retry, and were
	 * listed as written (ITEM and USER runs only); and its failures by Plaid's code, most
	 * first.
	 */
	public Counts counts(long executionId) {
		Counts counts = this.jdbc
			.sql("""
					SELECT count(*) FILTER (WHERE f.failure_kind <> 'UNSTORABLE') AS failed,
					       count(*) FILTER (WHERE f.failure_kind = 'UNSTORABLE') AS skipped,
					       count(r.item_id) AS retrying,
					       (SELECT count(DISTINCT x."itemId") FROM sync_run_requests q
					        CROSS JOIN LATERAL jsonb_to_recordset(q.item_results) AS x ("itemId" text, written boolean)
					        WHERE q.job_execution_id = :id AND x.written) AS written_listed,
					      EXISTS (SELECT 1 FROM sync_run_requests q WHERE q.job_execution_id = :id
					              AND jsonb_array_length(coalesce(q.item_results, '[]')) > 0) AS listed
					FROM sync_item_failures f LEFT JOIN sync_item_retries r ON r.job_name = f.job_name AND r.item_id = f.item_id
					WHERE f.job_execution_id = :id
					""")
			.param("id", executionId)
			.query((row, number) -> new Counts(row.getLong("failed"), row.getLong("skipped"), row.getLong("retrying"),
					row.getBoolean("listed"), row.getLong("written_listed"), List.of()))
			.single();
		List<CodeCount> byCode = this.jdbc.sql("""
				SELECT coalesce(error_code, failure_kind) AS error_code, failure_kind, count(*) AS items
				FROM sync_item_failures WHERE job_execution_id = :id
				GROUP BY coalesce(error_code, failure_kind), failure_kind ORDER BY count(*) DESC, 1 LIMIT 50
				""").param("id", executionId).query(CodeCount.class).list();
		return new Counts(counts.failed(), counts.skipped(), counts.retrying(), counts.listed(), counts.writtenListed(),
				byCode);
	}

	/**
	 * Every item the execution recorded as failed or skipped (at most {@code limit}),
	 * each once.
	 */
	public List<String> failedItemIds(long executionId, int limit) {
		return this.jdbc.sql("""
				SELECT item_id FROM sync_item_failures WHERE job_execution_id = :id
				GROUP BY item_id ORDER BY min(occurred_at), item_id LIMIT :limit
				""").param("id", executionId).param("limit", limit).query(String.class).list();
	}

	/**
	 * The runs asked for the item or its user, newest first (at most {@code limit}), with
	 * how the item ended in each that has ended. Sweeps are not among them: they record
	 * an item only when it fails ({@link #failuresOf}).
	 */
	public List<ItemRun> runsOf(String itemId, UUID userId, int limit) {
		return this.jdbc.sql("""
				SELECT q.id AS request_id, q.job_name, q.scope_key, q.requested_at, q.ended_at, q.job_execution_id,
				       q.run_status, x.written, x."errorCode" AS error_code, x.message
				FROM sync_run_requests q
				LEFT JOIN LATERAL (SELECT * FROM jsonb_to_recordset(q.item_results)
				                   AS r ("itemId" text, written boolean, "errorCode" text, message text)
				                   WHERE r."itemId" = :itemId LIMIT 1) x ON true
				WHERE q.scope_key IN (:itemScope, :userScope)
				ORDER BY q.requested_at DESC LIMIT :limit
				""")
			.param("itemId", itemId)
			.param("itemScope", SyncScope.item(itemId).key())
			.param("userScope", SyncScope.user(userId).key())
			.param("limit", limit)
			.query(ItemRun.class)
			.list();
	}

	/**
	 * The item's failures in any run, newest first (at most {@code limit}): each is a
	 * Plaid call (or a write) that failed, with Plaid's code and message.
	 */
	public List<ItemFailure> failuresOf(String itemId, int limit) {
		return this.jdbc.sql("""
				SELECT job_execution_id, job_name, failure_kind, error_code, message, occurred_at
				FROM sync_item_failures WHERE item_id = :itemId ORDER BY occurred_at DESC LIMIT :limit
				""").param("itemId", itemId).param("limit", limit).query(ItemFailure.class).list();
	}

	/**
	 * One item of an execution. {@code at}: when it failed, or when the run that wrote it
	 * ended; {@code retrying}: it is on the follow-up list now, due at {@code retryDueAt}
	 * (null: the next sweep) after {@code retryAttempts} failures.
	 */
	public record ExecutionItem(String itemId, String outcome, @Nullable String failureKind, @Nullable String errorCode,
			@Nullable String message, @Nullable OffsetDateTime at, boolean retrying, @Nullable Integer retryAttempts,
			@Nullable OffsetDateTime retryDueAt, @Nullable String institutionId, @Nullable String institutionName) {
	}

	/**
	 * An execution's items by outcome, and its failures by code; {@code listed}: the run
	 * recorded each item's result (ITEM and USER runs), {@code writtenListed} of them
	 * written.
	 */
	public record Counts(long failed, long skipped, long retrying, boolean listed, long writtenListed,
			List<CodeCount> byErrorCode) {
	}

	/** How many items failed with Plaid's (or the engine's) {@code errorCode}. */
	public record CodeCount(String errorCode, String failureKind, long items) {
	}

	/**
	 * A run asked for the item ({@code ITEM:…}) or its user ({@code USER:…});
	 * {@code written} and {@code errorCode}: how the item ended in it, null until it
	 * ended.
	 */
	public record ItemRun(long requestId, String jobName, String scopeKey, OffsetDateTime requestedAt,
			@Nullable OffsetDateTime endedAt, @Nullable Long jobExecutionId, @Nullable String runStatus,
			@Nullable Boolean written, @Nullable String errorCode, @Nullable String message) {
	}

	/** One failure of the item in an execution. */
	public record ItemFailure(long jobExecutionId, String jobName, String failureKind, @Nullable String errorCode,
			@Nullable String message, OffsetDateTime occurredAt) {
	}

}
