package dev.plaidsync.sync.runtime;

import dev.plaidsync.sync.JobExecutions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job runtime's log of the items each execution failed ({@code sync_item_failures}),
 * which operators read with the execution ({@link JobExecutions#failedItems}). Every job
 * records its failed items here: the syncs and the runtime's other item jobs alike.
 */
@Component
public class ItemFailureLog {

	private static final Logger log = LoggerFactory.getLogger(ItemFailureLog.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate independent;

	private final StorableText text;

	ItemFailureLog(JdbcClient jdbc, PlatformTransactionManager transactionManager, StorableText text) {
		this.jdbc = jdbc;
		this.text = text;
		this.independent = new TransactionTemplate(transactionManager);
		this.independent.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Records that the execution failed the item, in a transaction of its own, so that
	 * operators see the failed items even of a chunk that failed the run and rolled back.
	 * Once per execution and item: a second record is ignored.
	 */
	public void record(long jobExecutionId, String jobName, String itemId, String kind, String errorCode,
			String message) {
		log.info("{} #{}: item {} failed: {} ({})", jobName, jobExecutionId, itemId, errorCode, kind);
		this.independent.executeWithoutResult((status) -> this.jdbc.sql("""
				INSERT INTO sync_item_failures (job_execution_id, job_name, item_id, failure_kind, error_code, message)
				VALUES (:executionId, :jobName, :itemId, :kind, :code, :message)
				ON CONFLICT DO NOTHING
				""")
			.param("executionId", jobExecutionId)
			.param("jobName", jobName)
			.param("itemId", itemId)
			.param("kind", kind)
			.param("code", errorCode)
			.param("message", this.text.of(message))
			.update());
	}

}
