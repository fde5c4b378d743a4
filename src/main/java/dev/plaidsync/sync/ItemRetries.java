package dev.plaidsync.sync;

import java.time.OffsetDateTime;
import java.util.List;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Follow-up runs of items whose sync failed for a transient reason: their institution was
 * down or rate-limiting, or Plaid kept failing. The writers put such items on
 * {@code sync_item_retries} with a due time (15 minutes, then an hour, by default); one
 * node (ShedLock) launches a single-item run through {@link SyncLauncher} for each that
 * is due; a sync that succeeds, by any run, takes the item off the list. Once the delays
 * are used up the item waits for the next sweep, which starts them over if it fails
 * again.
 * <p>
 * Also the operators' view of what waits, per institution, and the gauge
 * {@code sync.item.retries.waiting}.
 */
@Component
public class ItemRetries {

	private static final Logger log = LoggerFactory.getLogger(ItemRetries.class);

	/**
	 * The error code of a transactions window that emptied or shrank too much: its rows
	 * stay until a second fetch of the full window agrees, so its follow-up run fetches
	 * the full window.
	 */
	public static final String WINDOW_SHRANK = "TRANSACTIONS_WINDOW_SHRANK";

	private static final int LAUNCHES_PER_CHECK = 1000;

	private final JdbcClient jdbc;

	private final SyncLauncher launcher;

	private final MultiGauge waitingGauge;

	ItemRetries(JdbcClient jdbc, SyncLauncher launcher, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.launcher = launcher;
		this.waitingGauge = MultiGauge.builder("sync.item.retries.waiting")
			.description(
					"Items whose last sync failed for a transient reason and wait for a follow-up run, per institution and job")
			.register(meters);
	}

	/**
	 * Launches a single-item run for every retry that is due and not yet launched.
	 * Idempotent per attempt.
	 */
	@Scheduled(fixedDelayString = "${plaidsync.sync.recovery.retry-check-interval:30s}",
			initialDelayString = "${plaidsync.sync.recovery.retry-check-interval:30s}")
	@SchedulerLock(name = "itemRetries", lockAtMostFor = "PT10M")
	public void launchDueRetries() {
		this.jdbc.sql("""
				DELETE FROM sync_item_retries r WHERE NOT EXISTS (SELECT 1 FROM item_sync_state i
				    WHERE i.item_id = r.item_id AND i.status = 'ACTIVE')
				""").update();
		List<DueRetry> due = this.jdbc.sql("""
				SELECT r.job_name, r.item_id, r.attempts, r.due_at, r.error_code FROM sync_item_retries r
				WHERE r.due_at <= now() AND (r.launched_at IS NULL OR r.launched_at < r.due_at)
				ORDER BY r.due_at LIMIT :limit
				""")
			.param("limit", LAUNCHES_PER_CHECK)
			.query((row, number) -> new DueRetry(row.getString(1), row.getString(2), row.getInt(3),
					row.getObject(4, OffsetDateTime.class), row.getString(5)))
			.list();
		for (DueRetry retry : due) {
			String slot = "retry:" + retry.attempts() + ":" + retry.dueAt().toInstant().toEpochMilli();
			LaunchOutcome outcome = this.launcher.request(SyncJob.ofJobName(retry.jobName()),
					SyncScope.item(retry.itemId()), slot, SyncOptions.sweep(WINDOW_SHRANK.equals(retry.errorCode())
							? SyncOptions.TransactionsWindow.FULL : SyncOptions.TransactionsWindow.ROUTINE, null));
			this.jdbc.sql("""
					UPDATE sync_item_retries SET launched_at = now()
					WHERE job_name = :job AND item_id = :itemId AND due_at = :dueAt
					""")
				.param("job", retry.jobName())
				.param("itemId", retry.itemId())
				.param("dueAt", retry.dueAt())
				.update();
			log.debug("Retry {} of {} for item {}: {}", retry.attempts(), retry.jobName(), retry.itemId(),
					outcome.message());
		}
		if (!due.isEmpty()) {
			log.info("Launched follow-up runs for {} item(s) whose last sync failed for a transient reason",
					due.size());
		}
	}

	/** Keeps the gauge in step with the table, on every node. */
	@Scheduled(fixedDelayString = "${plaidsync.sync.recovery.retry-check-interval:30s}")
	void refreshGauge() {
		this.waitingGauge.register(waitingByInstitution().stream()
			.map((row) -> MultiGauge.Row
				.of(Tags.of("institution", String.valueOf(row.institutionId()), "job", row.jobName()), row.waiting()))
			.toList(), true);
	}

	/** What waits for a follow-up run, per institution and job: most waiting first. */
	public List<Waiting> waitingByInstitution() {
		return waiting(GROUPS, Integer.MAX_VALUE, 0);
	}

	/**
	 * One page of {@link #waitingByInstitution()}, with how many (institution, job)
	 * groups wait. The list holds only items whose last sync failed, so it is grouped
	 * whole; the page is cut from the groups.
	 */
	public Page<Waiting> waitingByInstitution(PageRequest request) {
		List<Waiting> page = waiting(GROUPS + " LIMIT :limit OFFSET :offset", request.size(), request.offset());
		long groups = this.jdbc
			.sql("""
					SELECT count(*) FROM (SELECT 1 FROM sync_item_retries r GROUP BY coalesce(r.institution_id, 'unknown'), r.job_name
					    LIMIT :cap) AS matching
					""")
			.param("cap", Page.COUNT_LIMIT)
			.query(Long.class)
			.single();
		return Page.of(page, groups);
	}

	private static final String GROUPS = """
			SELECT coalesce(r.institution_id, 'unknown'), r.job_name, count(*),
			       count(*) FILTER (WHERE r.due_at IS NULL), min(r.due_at), min(r.first_failed_at),
			       (array_agg(r.error_code ORDER BY r.last_failed_at DESC))[1],
			       (SELECT p.institution_name FROM item_institutions p WHERE p.item_id = min(r.item_id))
			FROM sync_item_retries r
			GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2""";

	private List<Waiting> waiting(String query, int limit, long offset) {
		var statement = this.jdbc.sql(query);
		if (query.contains(":limit")) {
			statement = statement.param("limit", limit).param("offset", offset);
		}
		return statement
			.query((row, number) -> new Waiting(row.getString(1), row.getString(2), row.getLong(3), row.getLong(4),
					row.getObject(5, OffsetDateTime.class), row.getObject(6, OffsetDateTime.class), row.getString(7),
					row.getString(8)))
			.list();
	}

	/**
	 * Items of one institution and job waiting for a follow-up run.
	 *
	 * @param waitingForSweep those whose delays are used up: the next sweep retries them
	 * @param nextDueAt the earliest follow-up run, null when all wait for the next sweep
	 * @param institutionName the institution's name, as one of its items has it
	 */
	public record Waiting(String institutionId, String jobName, long waiting, long waitingForSweep,
			@Nullable OffsetDateTime nextDueAt, OffsetDateTime failingSince, @Nullable String lastErrorCode,
			@Nullable String institutionName) {
	}

	private record DueRetry(String jobName, String itemId, int attempts, OffsetDateTime dueAt, String errorCode) {
	}

}
