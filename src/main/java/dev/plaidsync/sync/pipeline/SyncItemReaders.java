package dev.plaidsync.sync.pipeline;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.plaidsync.sync.SyncScope;
import dev.plaidsync.sync.runtime.SyncProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The items in a run's scope, sorted by primary key: the key of the last written item is
 * what a restart resumes from. Scheduled runs read ACTIVE items; a single-item run reads
 * its item unless it was revoked or removed. Items are read through
 * {@code item_sync_state}, the view {@code items} defines for the sync (V24).
 */
public final class SyncItemReaders {

	private SyncItemReaders() {
	}

	/**
	 * The step's reader: the items in scope, fetched ahead of the writer on the fetch
	 * pool (see {@link FetchAheadReader}).
	 */
	public static <T> FetchAheadReader<T> reader(JdbcClient jdbc, PlatformTransactionManager transactionManager,
			String syncedAtColumn, RunScope scope, PlaidFetch<T> fetch, AsyncTaskExecutor fetchExecutor,
			SyncProperties properties) {
		return new FetchAheadReader<>(pages(jdbc, transactionManager, syncedAtColumn, scope), fetch, fetchExecutor,
				properties.fetchAhead(), properties.chunkSize());
	}

	/**
	 * Pages of items after a key. Each page is read on a connection of its own in
	 * autocommit, never in the chunk's transaction, which then stays closed until the
	 * write.
	 */
	static FetchAheadReader.ItemPages pages(JdbcClient jdbc, PlatformTransactionManager transactionManager,
			String syncedAtColumn, RunScope scope) {
		TransactionTemplate outside = new TransactionTemplate(transactionManager);
		outside.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
		outside.setReadOnly(true);
		String sql = "SELECT id, item_id, user_id, institution_id, access_token_key_id, access_token_ciphertext, "
				+ syncedAtColumn + " AS synced_at, transactions_full_synced_at FROM item_sync_state WHERE "
				+ scope.whereClause(syncedAtColumn) + " AND id > :afterId ORDER BY id LIMIT :limit";
		return (afterId, limit) -> {
			Map<String, Object> parameters = new HashMap<>(scope.parameterValues());
			parameters.put("afterId", afterId);
			parameters.put("limit", limit);
			return outside.execute((status) -> jdbc.sql(sql).params(parameters).query(ROW_MAPPER).list());
		};
	}

	public static long countRemaining(JdbcClient jdbc, String syncedAtColumn, RunScope scope, long afterId) {
		Map<String, Object> parameters = new HashMap<>(scope.parameterValues());
		parameters.put("afterId", afterId);
		return jdbc
			.sql("SELECT count(*) FROM item_sync_state WHERE " + scope.whereClause(syncedAtColumn)
					+ " AND id > :afterId")
			.params(parameters)
			.query(Long.class)
			.single();
	}

	private static final RowMapper<SyncItem> ROW_MAPPER = (row, number) -> new SyncItem(row.getLong("id"),
			row.getString("item_id"), row.getObject("user_id", UUID.class), row.getString("institution_id"),
			row.getString("access_token_key_id"), row.getBytes("access_token_ciphertext"),
			row.getObject("synced_at", OffsetDateTime.class),
			row.getObject("transactions_full_synced_at", OffsetDateTime.class));

	/**
	 * A run's scope as SQL: the identifying parameters, and the age below which a sweep
	 * skips an item.
	 */
	public record RunScope(SyncScope scope, @Nullable Long skipSyncedWithinSeconds, @Nullable Instant runStartedAt) {

		String whereClause(String syncedAtColumn) {
			String where = switch (this.scope.kind()) {
				case ALL -> "status = 'ACTIVE'";
				case USER -> "status = 'ACTIVE' AND user_id = :userId";
				case ITEM -> "status IN ('ACTIVE', 'NEEDS_USER') AND item_id = :itemId";
			};
			if (this.skipSyncedWithinSeconds != null) {
				where += " AND (" + syncedAtColumn + " IS NULL OR " + syncedAtColumn + " < :freshSince)";
			}
			return where;
		}

		Map<String, Object> parameterValues() {
			Map<String, Object> values = new HashMap<>();
			switch (this.scope.kind()) {
				case USER -> values.put("userId", UUID.fromString(this.scope.value()));
				case ITEM -> values.put("itemId", this.scope.value());
				case ALL -> {
				}
			}
			if (this.skipSyncedWithinSeconds != null) {
				values.put("freshSince", OffsetDateTime
					.ofInstant(this.runStartedAt.minusSeconds(this.skipSyncedWithinSeconds), ZoneOffset.UTC));
			}
			return values;
		}

	}

}
