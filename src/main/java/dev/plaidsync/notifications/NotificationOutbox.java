package dev.plaidsync.notifications;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes events to the per-user sequence in the transaction of the change they report: an
 * event appended inside a transaction is written just before that transaction commits (so
 * it commits or rolls back with the change), one user after the other in user id order,
 * each user's events in the order they were appended. The user's row in
 * {@code notification_users} hands out the next sequence number under its lock, the last
 * lock the transaction takes, always in the same order, so writers never deadlock on it.
 * Outside a transaction, an event is written at once in a transaction of its own. Each
 * write also sends {@code NOTIFY plaidsync_events, '<user id>'}, which PostgreSQL
 * delivers to every replica when, and only if, the transaction commits: the streams then
 * read the user's new events ({@link UserEventLog}).
 */
@Component
class NotificationOutbox {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final TransactionTemplate transaction;

	private final DeliveryTarget target;

	private final DeliverySignal signal;

	NotificationOutbox(JdbcClient jdbc, JsonMapper json, PlatformTransactionManager transactionManager,
			DeliveryTarget target, DeliverySignal signal) {
		this.jdbc = jdbc;
		this.json = json;
		this.transaction = new TransactionTemplate(transactionManager);
		this.target = target;
		this.signal = signal;
	}

	/** Appends one event to the user's sequence, with the transaction if there is one. */
	void append(UUID userId, String type, Map<String, Object> data) {
		enqueue(new Write(userId, type, this.json.writeValueAsString(data), false));
	}

	/**
	 * The user is being deleted: their earlier events (and delivery records) go with
	 * them, and {@code user.deleted} is the last event of their sequence.
	 */
	void eraseUser(UUID userId, Map<String, Object> data) {
		enqueue(new Write(userId, EventType.USER_DELETED, this.json.writeValueAsString(data), true));
	}

	private void enqueue(Write write) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.isActualTransactionActive()) {
			this.transaction.executeWithoutResult((status) -> write(List.of(write)));
			this.signal.poke();
			return;
		}
		Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
		if (pending == null) {
			Pending created = new Pending(new ArrayList<>());
			TransactionSynchronizationManager.bindResource(this, created);
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void beforeCommit(boolean readOnly) {
					write(created.writes());
				}

				@Override
				public void afterCompletion(int status) {
					TransactionSynchronizationManager.unbindResourceIfPossible(NotificationOutbox.this);
					if (status == STATUS_COMMITTED) {
						NotificationOutbox.this.signal.poke();
					}
				}

			});
			pending = created;
		}
		pending.writes().add(write);
	}

	private void write(List<Write> writes) {
		List<Write> byUser = new ArrayList<>(writes);
		byUser.sort(Comparator.comparing(Write::userId));
		boolean deliver = this.target.configured();
		for (Write write : byUser) {
			long seq = this.jdbc
				.sql("""
						INSERT INTO notification_users AS u (user_id, last_seq, due_at)
						VALUES (:userId, 1, CASE WHEN CAST(:deliver AS boolean) THEN clock_timestamp() END)
						ON CONFLICT (user_id) DO UPDATE SET last_seq = u.last_seq + 1,
						    due_at = CASE WHEN CAST(:deliver AS boolean) THEN coalesce(u.due_at, clock_timestamp()) ELSE u.due_at END
						RETURNING last_seq
						""")
				.param("userId", write.userId())
				.param("deliver", deliver)
				.query(Long.class)
				.single();
			if (write.erasesUser()) {
				this.jdbc.sql("DELETE FROM notification_events WHERE user_id = :userId")
					.param("userId", write.userId())
					.update();
			}
			this.jdbc.sql("""
					INSERT INTO notification_events (user_id, seq, type, occurred_at, data, message_id, delivery)
					VALUES (:userId, :seq, :type, clock_timestamp(), CAST(:data AS jsonb), :messageId, :delivery)
					""")
				.param("userId", write.userId())
				.param("seq", seq)
				.param("type", write.type())
				.param("data", write.data())
				.param("messageId", "msg_" + UUID.randomUUID().toString().replace("-", ""))
				.param("delivery", deliver ? "PENDING" : "NO_ENDPOINT")
				.update();
			this.jdbc.sql("SELECT pg_notify(:channel, :userId)")
				.param("channel", UserEventLog.CHANNEL)
				.param("userId", write.userId().toString())
				.query()
				.listOfRows();
		}
	}

	private record Write(UUID userId, String type, String data, boolean erasesUser) {
	}

	private record Pending(List<Write> writes) {
	}

}
