package dev.plaidsync.sync.pipeline;

import java.sql.SQLException;

import dev.plaidsync.plaid.PlaidFailure;

import org.springframework.batch.core.step.skip.SkipPolicy;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionException;

/**
 * Which failures of a chunk's write are one item's own: its data that the database
 * refuses (a constraint, a value out of range, text it cannot store) or that the writer
 * cannot make sense of. Batch then writes the chunk's items one by one, each in its own
 * transaction (chunk scanning), and skips only the item that fails; the writer records
 * it. Never skipped: the database being unavailable or busy (connection lost, shutting
 * down, out of resources, deadlock or serialization failure), which would fail every
 * item, a systemic Plaid failure, and the writer's own verdict that too many items
 * failed.
 */
class UnstorableItemSkipPolicy implements SkipPolicy {

	@Override
	public boolean shouldSkip(Throwable failure, long skipCount) {
		if (failure instanceof Error || failure instanceof SyncWriter.TooManyItemsFailedException
				|| failure instanceof PlaidFailure || failure instanceof FetchAheadReader.FetchFailedException) {
			return false;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof DataAccessResourceFailureException
					|| cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
					|| cause instanceof TransactionException) {
				return false;
			}
			if (cause instanceof SQLException sql && !isTheItemsData(sql.getSQLState())) {
				return false;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return true;
	}

	/**
	 * SQLSTATE classes that say the statement's data was refused: 22 (data exception: NUL
	 * in text, value out of range) and 23 (integrity constraint violation). Others (08
	 * connection, 40 rollback, 53 resources, 57 operator intervention, 58 system) are
	 * about the database, not the item.
	 */
	static boolean isTheItemsData(String sqlState) {
		return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"));
	}

}
