package dev.plaidsync.sync.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.plaidsync.common.NodeIdentity;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The job runtime of this node, as the management port's health shows it
 * ({@code components.jobRuntime}): DOWN when its heartbeat is older than
 * {@code plaidsync.ops.orphan-after}, since other nodes then take its executions for
 * orphans; UP otherwise, with the executions it runs, those the repository records as
 * running on it that none of its threads runs (stranded, failed and resumed by the next
 * recovery pass), and the executions orphaned by dead nodes.
 */
@Component("jobRuntime")
class JobRuntimeHealthIndicator extends AbstractHealthIndicator {

	private final JdbcClient jdbc;

	private final JobRuntimeProperties properties;

	private final ExecutionOwnership ownership;

	private final NodeIdentity node;

	JobRuntimeHealthIndicator(JdbcClient jdbc, JobRuntimeProperties properties, ExecutionOwnership ownership,
			NodeIdentity node) {
		super("Job runtime health check failed");
		this.jdbc = jdbc;
		this.properties = properties;
		this.ownership = ownership;
		this.node = node;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Set<Long> runningHere = this.ownership.runningHere();
		Map<String, Object> state = this.jdbc.sql("""
				SELECT (SELECT extract(epoch FROM now() - last_seen_at) FROM engine_nodes WHERE node_id = :node)
				           AS heartbeat_age_seconds,
				       (SELECT count(*) FROM batch_job_execution e
				        JOIN job_execution_owners o ON o.job_execution_id = e.job_execution_id
				        JOIN engine_nodes n ON n.node_id = o.node_id
				        WHERE e.status IN ('STARTING', 'STARTED', 'STOPPING')
				          AND n.last_seen_at < now() - :orphanAfterSeconds * interval '1 second') AS orphaned
				""")
			.param("node", this.node.id())
			.param("orphanAfterSeconds", this.properties.orphanAfter().toSeconds())
			.query()
			.singleRow();
		// As StrandedExecutions reads them: which run here before and after the
		// repository, so that one starting or
		// ending in between is never counted as stranded.
		List<Long> startedHere = this.jdbc.sql(StrandedExecutions.STARTED_HERE)
			.param("node", this.node.id())
			.query(Long.class)
			.list();
		Set<Long> runningSince = this.ownership.runningHere();
		long stranded = startedHere.stream()
			.filter((id) -> !runningHere.contains(id) && !runningSince.contains(id))
			.count();
		Number age = (Number) state.get("heartbeat_age_seconds");
		Duration orphanAfter = this.properties.orphanAfter();
		boolean heartbeatFresh = age != null && age.doubleValue() < orphanAfter.toSeconds();
		(heartbeatFresh ? builder.up() : builder.down()).withDetail("node", this.node.id())
			.withDetail("heartbeatAgeSeconds", (age != null) ? Math.round(age.doubleValue()) : "never")
			.withDetail("orphanAfterSeconds", orphanAfter.toSeconds())
			.withDetail("runningHere", runningHere.size())
			.withDetail("strandedHere", stranded)
			.withDetail("orphanedByDeadNodes", ((Number) state.get("orphaned")).longValue());
	}

}
