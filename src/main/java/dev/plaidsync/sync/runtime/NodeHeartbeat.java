package dev.plaidsync.sync.runtime;

import java.time.Duration;

import dev.plaidsync.common.DedicatedThread;
import dev.plaidsync.common.NodeIdentity;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records that this node is alive; a node unseen for a while is dead, and its executions
 * are orphans. It beats on a thread of its own, so that a busy shared scheduler never
 * makes a live node look dead, and it stops last on shutdown, after this node's
 * executions have stopped.
 */
@Component
class NodeHeartbeat implements SmartLifecycle {

	private final JdbcClient jdbc;

	private final JobRuntimeProperties properties;

	private final NodeIdentity node;

	private volatile DedicatedThread thread;

	NodeHeartbeat(JdbcClient jdbc, JobRuntimeProperties properties, NodeIdentity node) {
		this.node = node;
		this.jdbc = jdbc;
		this.properties = properties;
	}

	void beat() {
		this.jdbc.sql("""
				INSERT INTO engine_nodes (node_id, host) VALUES (:node, :host)
				ON CONFLICT (node_id) DO UPDATE SET last_seen_at = now()
				""").param("node", this.node.id()).param("host", this.node.host()).update();
	}

	@Override
	public void start() {
		this.thread = DedicatedThread.atFixedRate("node-heartbeat", Duration.ZERO, this.properties.heartbeatInterval(),
				this::beat);
	}

	@Override
	public void stop() {
		DedicatedThread running = this.thread;
		this.thread = null;
		if (running != null) {
			running.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/**
	 * Below {@link GracefulJobShutdown}'s phase: stops after this node's executions have
	 * stopped.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 8192;
	}

}
