package dev.plaidsync.sync.pipeline;

import java.util.Collection;

import dev.plaidsync.sync.runtime.SyncRecoveryProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes {@code sync_item_retries}, the follow-up list that {@code ItemRetries} launches
 * from, in the chunk's transaction.
 */
@Component
public class ItemRetryList {

	private final JdbcClient jdbc;

	private final SyncRecoveryProperties recovery;

	ItemRetryList(JdbcClient jdbc, SyncRecoveryProperties recovery) {
		this.jdbc = jdbc;
		this.recovery = recovery;
	}

	/**
	 * Puts the item on the follow-up list of {@code jobName}: due after the next of the
	 * configured delays, or, once they are used up, left for the next sweep. A failure in
	 * a sweep starts the delays over.
	 */
	public void schedule(String jobName, SyncItem item, String errorCode, boolean sweep) {
		this.jdbc.sql("""
				INSERT INTO sync_item_retries (job_name, item_id, institution_id, attempts, error_code, due_at)
				VALUES (:job, :itemId, :institutionId, 1, :code,
				        now() + make_interval(secs => (CAST(:delays AS bigint[]))[1] / 1000.0))
				ON CONFLICT (job_name, item_id) DO UPDATE SET
				    attempts = CASE WHEN :sweep THEN 1 ELSE sync_item_retries.attempts + 1 END,
				    institution_id = EXCLUDED.institution_id, error_code = EXCLUDED.error_code, last_failed_at = now(),
				    due_at = now() + make_interval(secs => (CAST(:delays AS bigint[]))[
				        CASE WHEN :sweep THEN 1 ELSE sync_item_retries.attempts + 1 END] / 1000.0)
				""")
			.param("job", jobName)
			.param("itemId", item.itemId())
			.param("institutionId", item.institutionId())
			.param("code", errorCode)
			.param("sweep", sweep)
			.param("delays", this.recovery.retryDelayMillis())
			.update();
	}

	/**
	 * The items synced: nothing is left to retry for them, unless this very transaction
	 * put them back on the list (a window that shrank too much).
	 */
	public void clear(String jobName, Collection<String> itemIds) {
		if (itemIds.isEmpty()) {
			return;
		}
		this.jdbc.sql(
				"DELETE FROM sync_item_retries WHERE job_name = :job AND item_id = ANY (:items) AND last_failed_at < now()")
			.param("job", jobName)
			.param("items", itemIds.toArray(String[]::new))
			.update();
	}

}
