package dev.plaidsync.webhooks.internal;

import java.sql.SQLException;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stores verified events through the intake pool, whose short connection timeout bounds
 * the wait when the database is down. Each insert is its own committed transaction: when
 * {@link #store} returns, the event is durable.
 */
class IntakeStore implements AutoCloseable {

	private final HikariDataSource pool;

	private final JdbcClient jdbc;

	IntakeStore(HikariDataSource pool) {
		this.pool = pool;
		this.jdbc = JdbcClient.create(pool);
	}

	@Override
	public void close() {
		this.pool.close();
	}

	/**
	 * Inserts the event: IGNORED when {@code ignoredReason} is set, UNKNOWN_ITEM when no
	 * linked item has its id, RECEIVED otherwise (with the item's owner, read in the same
	 * statement through {@code item_owners}, the view {@code items} exports for intake).
	 * @throws Rejection 503 when it cannot be stored now, 400 when PostgreSQL refuses the
	 * JSON (a NUL in a string)
	 */
	StoredEvent store(WebhookBody body, String rawJson, String kid, String bodySha256, String ignoredReason) {
		try {
			return this.jdbc
				.sql("""
						INSERT INTO plaid_webhook_events (webhook_type, webhook_code, item_id, user_id, raw_webhook_data,
						    status, status_reason, success, error_message, processed_at, processing_duration_ms,
						    environment, verification, verification_key_id, body_sha256)
						SELECT :type, :code, :itemId, i.user_id, CAST(:raw AS jsonb),
						    CASE WHEN CAST(:ignored AS text) IS NOT NULL THEN 'IGNORED'
						         WHEN i.user_id IS NULL THEN 'UNKNOWN_ITEM' ELSE 'RECEIVED' END,
						    coalesce(CAST(:ignored AS text),
						             CASE WHEN i.user_id IS NULL THEN 'no item ' || :itemId || ' is linked to this engine' END),
						    CASE WHEN CAST(:ignored AS text) IS NOT NULL THEN true WHEN i.user_id IS NULL THEN false END,
						    CASE WHEN CAST(:ignored AS text) IS NULL AND i.user_id IS NULL THEN 'unknown item' END,
						    CASE WHEN CAST(:ignored AS text) IS NOT NULL OR i.user_id IS NULL THEN now() END,
						    CASE WHEN CAST(:ignored AS text) IS NOT NULL OR i.user_id IS NULL THEN 0 END,
						    :environment, 'VERIFIED', :kid, :sha
						FROM (SELECT 1) AS one LEFT JOIN item_owners i ON i.item_id = :itemId
						RETURNING id, status, user_id
						""")
				.param("type", body.type())
				.param("code", body.code())
				.param("itemId", body.itemId())
				.param("raw", rawJson)
				.param("ignored", ignoredReason)
				.param("environment", body.environment())
				.param("kid", kid)
				.param("sha", bodySha256)
				.query((row, number) -> new StoredEvent(row.getObject(1, UUID.class), row.getString(2),
						row.getObject(3, UUID.class)))
				.single();
		}
		catch (DataAccessException ex) {
			if (isDataException(ex)) {
				throw Rejection.badRequest("unstorable_json",
						"PostgreSQL cannot store this JSON (" + rootMessage(ex) + ")");
			}
			throw Rejection.unavailable("store_unavailable",
					"The event could not be stored (" + rootMessage(ex) + "); retry later");
		}
	}

	/**
	 * True when a connection from the intake pool answers within its timeout, and the
	 * event table is there.
	 */
	boolean canStore() {
		try {
			this.jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM plaid_webhook_events LIMIT 0) AS t")
				.query()
				.singleValue();
			return true;
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

	private static boolean isDataException(DataAccessException ex) {
		return ex.getMostSpecificCause() instanceof SQLException sql && sql.getSQLState() != null
				&& sql.getSQLState().startsWith("22");
	}

	private static String rootMessage(DataAccessException ex) {
		String message = ex.getMostSpecificCause().getMessage();
		if (message == null) {
			return ex.getMostSpecificCause().getClass().getSimpleName();
		}
		int newline = message.indexOf('\n');
		return (newline > 0) ? message.substring(0, newline) : message;
	}

	/** A stored event, with its item's owner when the item is linked here. */
	record StoredEvent(UUID id, String status, @Nullable UUID userId) {
	}

}
