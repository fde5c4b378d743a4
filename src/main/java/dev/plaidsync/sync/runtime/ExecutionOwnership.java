package dev.plaidsync.sync.runtime;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.plaidsync.common.LogContext;
import dev.plaidsync.common.NodeIdentity;
import dev.plaidsync.sync.JobLaunches;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * The owner is recorded when the execution is launched ({@link #launch}), not when its
 * thread picks it up: an execution waiting in this node's job executor belongs to this
 * node from the start, and stays alive however long it waits, as long as the node beats.
 * <p>
 * It also knows which executions a thread of this node is running right now, and which
 * are launched here and still waiting for a thread: an execution still STARTED in the
 * repository that is neither was stranded (its thread ended while the database could not
 * record how), and is failed and resumed like an orphan. As the {@link TaskDecorator} of
 * the executor that runs jobs ({@link #decorateJobTask}), it forgets an execution when
 * its thread's task ends, however it ended, and counts the tasks this node's executor
 * holds (its launch slots).
 * <p>
 * Every line a job's thread logs carries the execution's id ({@code execution_id}) from
 * its start until its task ends, Batch's own last line included.
 */
@Component
public class ExecutionOwnership implements JobExecutionListener, JobLaunches {

	private static final Logger log = LoggerFactory.getLogger(ExecutionOwnership.class);

	private final JdbcClient jdbc;

	private final Map<Long, Thread> running = new ConcurrentHashMap<>();

	private final Set<Long> waiting = ConcurrentHashMap.newKeySet();

	private final ThreadLocal<Ticket> launching = new ThreadLocal<>();

	private final List<Runnable> taskEndedListeners = new CopyOnWriteArrayList<>();

	private final NodeIdentity node;

	private int tasks;

	ExecutionOwnership(JdbcClient jdbc, NodeIdentity node) {
		this.jdbc = jdbc;
		this.node = node;
	}

	/**
	 * Launches an execution on this node's job executor ({@code start} is a
	 * {@code JobOperator} start or restart) and records this node as its owner at once,
	 * before a thread picks it up.
	 */
	@Override
	public JobExecution launch(Callable<JobExecution> start) throws Exception {
		Ticket ticket = new Ticket();
		this.launching.set(ticket);
		JobExecution execution;
		try {
			execution = start.call();
		}
		finally {
			this.launching.remove();
		}
		if (ticket.waitFor(execution.getId())) {
			this.waiting.add(execution.getId());
			if (ticket.ended()) {
				this.waiting.remove(execution.getId());
			}
		}
		try {
			own(execution);
		}
		catch (RuntimeException ex) {
			log.debug("Could not record the owner of {} #{} at launch; its thread will: {}",
					execution.getJobInstance().getJobName(), execution.getId(), ex.getMessage());
		}
		return execution;
	}

	@Override
	public void beforeJob(JobExecution execution) {
		MDC.put(LogContext.EXECUTION_ID, String.valueOf(execution.getId()));
		this.running.put(execution.getId(), Thread.currentThread());
		this.waiting.remove(execution.getId());
		own(execution);
	}

	private void own(JobExecution execution) {
		this.jdbc.sql("""
				INSERT INTO job_execution_owners (job_execution_id, job_name, node_id) VALUES (:id, :job, :node)
				ON CONFLICT (job_execution_id) DO UPDATE SET node_id = EXCLUDED.node_id
				""")
			.param("id", execution.getId())
			.param("job", execution.getJobInstance().getJobName())
			.param("node", this.node.id())
			.update();
	}

	/**
	 * The job executor's {@link TaskDecorator}. Not a {@code TaskDecorator} bean itself:
	 * Boot would decorate its own executors and scheduler with it, whose repeating tasks
	 * would then count as held launch slots.
	 */
	Runnable decorateJobTask(Runnable task) {
		Ticket ticket = this.launching.get();
		synchronized (this) {
			this.tasks++;
		}
		return () -> {
			try {
				task.run();
			}
			finally {
				Thread current = Thread.currentThread();
				this.running.values().removeIf((thread) -> thread == current);
				if (ticket != null) {
					Long id = ticket.end();
					if (id != null) {
						this.waiting.remove(id);
					}
				}
				synchronized (this) {
					this.tasks--;
				}
				this.taskEndedListeners.forEach(Runnable::run);
				MDC.remove(LogContext.EXECUTION_ID);
			}
		};
	}

	/** The executions a thread of this node is running now. */
	Set<Long> runningHere() {
		return Set.copyOf(this.running.keySet());
	}

	/** The executions launched on this node that wait for a thread of its executor. */
	Set<Long> waitingHere() {
		return Set.copyOf(this.waiting);
	}

	/** Tasks this node's job executor holds, running or waiting for a thread. */
	synchronized int tasksHeld() {
		return this.tasks;
	}

	/** Called on the job's thread after each task of the job executor has ended. */
	void whenATaskEnds(Runnable listener) {
		this.taskEndedListeners.add(listener);
	}

	/** One launch: the execution it created, and whether its task has already ended. */
	private static final class Ticket {

		private @Nullable Long executionId;

		private boolean ended;

		/**
		 * @return false when the task has already ended: nothing waits.
		 */
		synchronized boolean waitFor(long id) {
			this.executionId = id;
			return !this.ended;
		}

		synchronized @Nullable Long end() {
			this.ended = true;
			return this.executionId;
		}

		synchronized boolean ended() {
			return this.ended;
		}

	}

}
