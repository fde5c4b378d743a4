package dev.plaidsync.common;

import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs user-facing reads inside a read-only transaction that has switched to
 * {@code plaidsync_user_scope}, a role that owns nothing, with {@code app.user_id} set.
 * Row-level security then shows only that user's rows, whatever the query's own filters
 * say, and whichever role the engine itself connects as. Both settings are local to the
 * transaction, so the pooled connection returns clean.
 * <p>
 * A read for a user inside a read for the same user, on the same connection, joins it:
 * the owners' query types each read as the user, and a caller that asks several of them
 * for one answer runs them in one transaction.
 */
@Component
public class UserScopedSession {

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	private final TransactionTemplate readOnly;

	UserScopedSession(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.readOnly = new TransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
		this.readOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	public <T> T read(UUID userId, Function<JdbcClient, T> query) {
		if (TransactionSynchronizationManager.getResource(this) instanceof Scope scope
				&& scope.connection() == TransactionSynchronizationManager.getResource(this.dataSource)) {
			if (!scope.userId().equals(userId)) {
				throw new IllegalStateException("A read as one user cannot run inside a read as another");
			}
			return query.apply(this.jdbc);
		}
		return this.readOnly.execute((status) -> {
			this.jdbc.sql("SET LOCAL ROLE plaidsync_user_scope").update();
			this.jdbc.sql("SELECT set_config('app.user_id', :userId, true)")
				.param("userId", userId.toString())
				.query()
				.singleValue();
			Object outer = TransactionSynchronizationManager.getResource(this);
			if (outer != null) {
				TransactionSynchronizationManager.unbindResource(this);
			}
			TransactionSynchronizationManager.bindResource(this,
					new Scope(userId, TransactionSynchronizationManager.getResource(this.dataSource)));
			try {
				return query.apply(this.jdbc);
			}
			finally {
				TransactionSynchronizationManager.unbindResource(this);
				if (outer != null) {
					TransactionSynchronizationManager.bindResource(this, outer);
				}
			}
		});
	}

	/** The user a transaction reads as, and the connection it holds. */
	private record Scope(UUID userId, Object connection) {
	}

}
