package dev.plaidsync.common;

import java.util.UUID;
import java.util.function.Function;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs user-facing reads inside a read-only transaction that has switched to {@code plaidsync_user_scope}, a role
 * that owns nothing, with {@code app.user_id} set. Row-level security then shows only that user's rows, whatever
 * the query's own filters say, and whichever role the engine itself connects as. Both settings are local to the
 * transaction, so the pooled connection returns clean.
 */
@Component
public class UserScopedSession {

	private final JdbcClient jdbc;

	private final TransactionTemplate readOnly;

	UserScopedSession(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.readOnly = new TransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
		this.readOnly.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	public <T> T read(UUID userId, Function<JdbcClient, T> query) {
		return this.readOnly.execute((status) -> {
			this.jdbc.sql("SET LOCAL ROLE plaidsync_user_scope").update();
			this.jdbc.sql("SELECT set_config('app.user_id', :userId, true)")
				.param("userId", userId.toString())
				.query()
				.singleValue();
			return query.apply(this.jdbc);
		});
	}

}
