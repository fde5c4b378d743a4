package dev.plaidsync.webhooks.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stores verified events through the intake pool, whose short connection timeout bounds
 * the wait when the database is down. Concurrent requests' events are grouped: each
 * request enqueues its event and waits; one of {@value #WRITERS} writer threads inserts
 * every event waiting (at most {@value #MAX_GROUP}) in one statement and one transaction.
 * When {@link #store} returns, the event is committed (synchronously, as the database
 * commits): durability is the same as one transaction per event, with one commit for the
 * group. A group holding an event the database refuses (its JSON) is stored again one
 * event per transaction, so that only that event is answered 400; when the database
 * cannot be reached, every event of the group is answered 503.
 */
class IntakeStore implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(IntakeStore.class);

	static final int WRITERS = 2;

	static final int MAX_GROUP = 64;

	private static final String INSERT = """
			INSERT INTO plaid_webhook_events (id, webhook_type, webhook_code, item_id, user_id, raw_webhook_data,
			    status, status_reason, success, error_message, processed_at, processing_duration_ms,
			    environment, verification, verification_key_id, body_sha256)
			SELECT e.id, e.type, e.code, e.item_id, i.user_id, CAST(e.raw AS jsonb),
			    CASE WHEN e.ignored IS NOT NULL THEN 'IGNORED'
			         WHEN i.user_id IS NULL THEN 'UNKNOWN_ITEM' ELSE 'RECEIVED' END,
			    coalesce(e.ignored,
			             CASE WHEN i.user_id IS NULL THEN 'no item ' || e.item_id || ' is linked to this engine' END),
			    CASE WHEN e.ignored IS NOT NULL THEN true WHEN i.user_id IS NULL THEN false END,
			    CASE WHEN e.ignored IS NULL AND i.user_id IS NULL THEN 'unknown item' END,
			    CASE WHEN e.ignored IS NOT NULL OR i.user_id IS NULL THEN now() END,
			    CASE WHEN e.ignored IS NOT NULL OR i.user_id IS NULL THEN 0 END,
			    e.environment, 'VERIFIED', e.kid, e.sha
			FROM unnest(CAST(? AS uuid[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
			            CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
			     AS e(id, type, code, item_id, raw, ignored, environment, kid, sha)
			LEFT JOIN item_owners i ON i.item_id = e.item_id
			RETURNING id, status, user_id
			""";

	private final HikariDataSource pool;

	private final JdbcClient jdbc;

	private final Duration maxWait;

	private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();

	private final List<Thread> writers = new ArrayList<>();

	private volatile boolean closed;

	/**
	 * @param maxWait the longest a request waits for its event's commit before it is
	 * answered 503 (the pool's connection timeout plus the socket timeout, as for one
	 * insert of its own)
	 */
	IntakeStore(HikariDataSource pool, Duration maxWait) {
		this.pool = pool;
		this.jdbc = JdbcClient.create(pool);
		this.maxWait = maxWait;
		for (int n = 1; n <= WRITERS; n++) {
			Thread writer = new Thread(this::write, "webhook-intake-writer-" + n);
			writer.setDaemon(true);
			writer.start();
			this.writers.add(writer);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.writers.forEach(Thread::interrupt);
		for (Thread writer : this.writers) {
			try {
				writer.join(this.maxWait.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		List<Pending> left = new ArrayList<>();
		this.waiting.drainTo(left);
		left.forEach((pending) -> pending.answer()
			.completeExceptionally(Rejection.unavailable("store_unavailable", "The engine is stopping; retry later")));
		this.pool.close();
	}

	/**
	 * Inserts the event and returns once it is committed: IGNORED when
	 * {@code ignoredReason} is set, UNKNOWN_ITEM when no linked item has its id, RECEIVED
	 * otherwise (with the item's owner, read in the same statement through
	 * {@code item_owners}, the view {@code items} exports for intake).
	 * @throws Rejection 503 when it cannot be stored now, 400 when PostgreSQL refuses the
	 * JSON (a NUL in a string)
	 */
	StoredEvent store(WebhookBody body, String rawJson, String kid, String bodySha256, String ignoredReason) {
		if (this.closed) {
			throw Rejection.unavailable("store_unavailable", "The engine is stopping; retry later");
		}
		Pending pending = new Pending(UUID.randomUUID(), body.type(), body.code(), body.itemId(), rawJson,
				ignoredReason, body.environment(), kid, bodySha256, new CompletableFuture<>());
		this.waiting.add(pending);
		try {
			return pending.answer().get(this.maxWait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof Rejection rejection) {
				throw rejection;
			}
			throw Rejection.unavailable("store_unavailable", "The event could not be stored; retry later");
		}
		catch (TimeoutException ex) {
			// a writer that has not taken it yet skips it
			pending.answer().cancel(false);
			throw Rejection.unavailable("store_unavailable",
					"The event could not be stored within " + this.maxWait.toMillis() + " ms; retry later");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			pending.answer().cancel(false);
			throw Rejection.unavailable("store_unavailable", "Interrupted while storing the event; retry later");
		}
	}

	private void write() {
		List<Pending> group = new ArrayList<>(MAX_GROUP);
		while (!this.closed) {
			group.clear();
			try {
				group.add(this.waiting.take());
			}
			catch (InterruptedException stopping) {
				return;
			}
			this.waiting.drainTo(group, MAX_GROUP - 1);
			group.removeIf((pending) -> pending.answer().isDone());
			if (group.isEmpty()) {
				continue;
			}
			try {
				answer(group, insert(group));
			}
			catch (SQLException | RuntimeException groupFailed) {
				Rejection rejection = rejection(groupFailed);
				if (group.size() == 1 || rejection.status().is5xxServerError()) {
					group.forEach((pending) -> pending.answer().completeExceptionally(rejection));
					continue;
				}
				log.debug("A group of {} webhook events failed ({}); storing them one by one", group.size(),
						groupFailed.toString());
				for (Pending pending : group) {
					try {
						answer(List.of(pending), insert(List.of(pending)));
					}
					catch (SQLException | RuntimeException failed) {
						pending.answer().completeExceptionally(rejection(failed));
					}
				}
			}
		}
	}

	private static void answer(List<Pending> group, Map<UUID, StoredEvent> stored) {
		for (Pending pending : group) {
			StoredEvent event = stored.get(pending.id());
			if (event != null) {
				pending.answer().complete(event);
			}
			else {
				pending.answer()
					.completeExceptionally(
							Rejection.unavailable("store_unavailable", "The event was not stored; retry later"));
			}
		}
	}

	/** One statement, one transaction: every event of the group, or none. */
	private Map<UUID, StoredEvent> insert(List<Pending> group) throws SQLException {
		int size = group.size();
		UUID[] ids = new UUID[size];
		String[][] columns = new String[8][size];
		for (int n = 0; n < size; n++) {
			Pending event = group.get(n);
			ids[n] = event.id();
			columns[0][n] = event.type();
			columns[1][n] = event.code();
			columns[2][n] = event.itemId();
			columns[3][n] = event.raw();
			columns[4][n] = event.ignored();
			columns[5][n] = event.environment();
			columns[6][n] = event.kid();
			columns[7][n] = event.sha();
		}
		try (Connection connection = this.pool.getConnection()) {
			connection.setAutoCommit(true);
			Map<UUID, StoredEvent> statuses = new HashMap<>();
			try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
				insert.setArray(1, connection.createArrayOf("uuid", ids));
				for (int column = 0; column < columns.length; column++) {
					insert.setArray(column + 2, connection.createArrayOf("text", columns[column]));
				}
				try (ResultSet stored = insert.executeQuery()) {
					while (stored.next()) {
						UUID id = stored.getObject(1, UUID.class);
						statuses.put(id, new StoredEvent(id, stored.getString(2), stored.getObject(3, UUID.class)));
					}
				}
			}
			return statuses;
		}
	}

	private static Rejection rejection(Exception failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && !(cause instanceof SQLException)) {
			cause = cause.getCause();
		}
		if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
			return Rejection.badRequest("unstorable_json",
					"PostgreSQL cannot store this JSON (" + firstLine(cause) + ")");
		}
		return Rejection.unavailable("store_unavailable",
				"The event could not be stored (" + firstLine(cause) + "); retry later");
	}

	private static String firstLine(Throwable failure) {
		String message = failure.getMessage();
		if (message == null) {
			return failure.getClass().getSimpleName();
		}
		int newline = message.indexOf('\n');
		return (newline > 0) ? message.substring(0, newline) : message;
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

	private record Pending(UUID id, String type, String code, String itemId, String raw, String ignored,
			String environment, String kid, String sha, CompletableFuture<StoredEvent> answer) {
	}

	/** A stored event, with its item's owner when the item is linked here. */
	record StoredEvent(UUID id, String status, @Nullable UUID userId) {
	}

}
