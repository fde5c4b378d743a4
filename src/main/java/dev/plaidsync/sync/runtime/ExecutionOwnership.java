package dev.plaidsync.sync.runtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.plaidsync.common.LogContext;
import dev.plaidsync.common.NodeIdentity;
import org.slf4j.MDC;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.core.task.TaskDecorator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records which node runs each job execution, so that when a node dies its executions can
 * be found, marked orphaned and resumed elsewhere. Every job registers it.
 * <p>
 * It also knows which executions a thread of this node is running right now: an execution
 * still STARTED in the repository that none of them runs was stranded (its thread ended
 * while the database could not record how), and is failed and resumed like an orphan. As
 * the {@link TaskDecorator} of the executor that runs jobs, it forgets an execution when
 * its thread's task ends, however it ended.
 * <p>
 * Every line a job's thread logs carries the execution's id ({@code execution_id}) from
 * its start until its task ends, Batch's own last line included.
 */
@Component
public class ExecutionOwnership implements JobExecutionListener, TaskDecorator {

	private final JdbcClient jdbc;

	private final Map<Long, Thread> running = new ConcurrentHashMap<>();

	private final NodeIdentity node;

	ExecutionOwnership(JdbcClient jdbc, NodeIdentity node) {
		this.jdbc = jdbc;
		this.node = node;
	}

	@Override
	public void beforeJob(JobExecution execution) {
		MDC.put(LogContext.EXECUTION_ID, String.valueOf(execution.getId()));
		this.running.put(execution.getId(), Thread.currentThread());
		this.jdbc.sql("""
				INSERT INTO job_execution_owners (job_execution_id, job_name, node_id) VALUES (:id, :job, :node)
				ON CONFLICT (job_execution_id) DO UPDATE SET node_id = EXCLUDED.node_id
				""")
			.param("id", execution.getId())
			.param("job", execution.getJobInstance().getJobName())
			.param("node", this.node.id())
			.update();
	}

	@Override
	public Runnable decorate(Runnable task) {
		return () -> {
			try {
				task.run();
			}
			finally {
				Thread current = Thread.currentThread();
				this.running.values().removeIf((thread) -> thread == current);
				MDC.remove(LogContext.EXECUTION_ID);
			}
		};
	}

	/** The executions a thread of this node is running now. */
	Set<Long> runningHere() {
		return Set.copyOf(this.running.keySet());
	}

}
