package dev.plaidsync.sync;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.plaidsync.common.KeyResumingPagingItemReader;

import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.batch.infrastructure.item.database.Order;
import org.springframework.batch.infrastructure.item.database.support.PostgresPagingQueryProvider;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Paging readers over the items in a run's scope, sorted by primary key: the reader's saved position is what a
 * restart resumes from. Scheduled runs read ACTIVE items; a single-item run reads its item unless it was revoked or
 * removed.
 */
final class SyncItemReaders {

	private SyncItemReaders() {
	}

	/**
	 * A reader whose page is the chunk. Each commit therefore ends a page, and the saved position is the key of the
	 * last committed item.
	 */
	static JdbcPagingItemReader<SyncItem> reader(String name, DataSource dataSource, String syncedAtColumn,
			RunScope scope, int chunkSize) throws Exception {
		PostgresPagingQueryProvider query = new PostgresPagingQueryProvider();
		query.setSelectClause("SELECT id, item_id, user_id, institution_id, access_token_key_id, access_token_ciphertext, "
				+ syncedAtColumn + " AS synced_at, transactions_full_synced_at");
		query.setFromClause("FROM plaid_items");
		query.setWhereClause(scope.whereClause(syncedAtColumn));
		query.setSortKeys(Map.of("id", Order.ASCENDING));
		KeyResumingPagingItemReader<SyncItem> reader = new KeyResumingPagingItemReader<>(dataSource, query);
		reader.setName(name);
		reader.setParameterValues(scope.parameterValues());
		reader.setPageSize(chunkSize);
		reader.setRowMapper(ROW_MAPPER);
		reader.afterPropertiesSet();
		return reader;
	}


	static long countRemaining(JdbcClient jdbc, String syncedAtColumn, RunScope scope, long afterId) {
		Map<String, Object> parameters = new HashMap<>(scope.parameterValues());
		parameters.put("afterId", afterId);
		return jdbc.sql("SELECT count(*) FROM plaid_items WHERE " + scope.whereClause(syncedAtColumn) + " AND id > :afterId")
			.params(parameters)
			.query(Long.class)
			.single();
	}

	private static final RowMapper<SyncItem> ROW_MAPPER = (row, number) -> new SyncItem(row.getLong("id"),
			row.getString("item_id"), row.getObject("user_id", UUID.class), row.getString("institution_id"),
			row.getString("access_token_key_id"), row.getBytes("access_token_ciphertext"),
			row.getObject("synced_at", OffsetDateTime.class), row.getObject("transactions_full_synced_at", OffsetDateTime.class));

	/** A run's scope as SQL: the identifying parameters, and the age below which a sweep skips an item. */
	record RunScope(SyncScope scope, Long skipSyncedWithinSeconds, Instant runStartedAt) {

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
				values.put("freshSince",
						OffsetDateTime.ofInstant(this.runStartedAt.minusSeconds(this.skipSyncedWithinSeconds), ZoneOffset.UTC));
			}
			return values;
		}

	}

}
