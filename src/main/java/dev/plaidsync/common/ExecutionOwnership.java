package dev.plaidsync.common;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records which node runs each job execution, so that when a node dies its executions can be found, marked
 * orphaned and resumed elsewhere. Every job registers it.
 */
@Component
public class ExecutionOwnership implements JobExecutionListener {

	private final JdbcClient jdbc;

	ExecutionOwnership(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void beforeJob(JobExecution execution) {
		this.jdbc.sql("""
				INSERT INTO job_execution_owners (job_execution_id, job_name, node_id) VALUES (:id, :job, :node)
				ON CONFLICT (job_execution_id) DO UPDATE SET node_id = EXCLUDED.node_id
				""")
			.param("id", execution.getId())
			.param("job", execution.getJobInstance().getJobName())
			.param("node", NodeIdentity.id())
			.update();
	}

}
