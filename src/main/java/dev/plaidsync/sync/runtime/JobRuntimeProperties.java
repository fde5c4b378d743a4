package dev.plaidsync.sync.runtime;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the job runtime keeps executions moving across nodes, under the operators' prefix
 * where these settings have always been (the rest of {@code plaidsync.ops} belongs to the
 * operations module).
 *
 * @param heartbeatInterval how often this node records that it is alive
 * @param orphanAfter an execution whose node has been unseen this long is orphaned:
 * marked FAILED and resumed
 * @param autoResume whether a live node restarts orphaned, stranded and shutdown-stopped
 * executions on its own
 * @param shutdownWait how long a SIGTERM waits for running executions to stop at their
 * chunk boundary
 * @param recoveryInterval how often orphan recovery looks for executions of dead nodes,
 * and each node for its own stranded ones
 */
@Validated
@ConfigurationProperties("plaidsync.ops")
record JobRuntimeProperties(@DefaultValue("10s") Duration heartbeatInterval, @DefaultValue("60s") Duration orphanAfter,
		@DefaultValue("true") boolean autoResume, @DefaultValue("60s") Duration shutdownWait,
		@DefaultValue("15s") Duration recoveryInterval) {
}
