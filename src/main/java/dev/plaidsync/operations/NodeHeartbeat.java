package dev.plaidsync.operations;

import dev.plaidsync.common.NodeIdentity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Records that this node is alive; a node unseen for a while is dead, and its executions are orphans. */
@Component
class NodeHeartbeat {

	private final JdbcClient jdbc;

	NodeHeartbeat(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Scheduled(fixedRateString = "${plaidsync.ops.heartbeat-interval:10s}")
	void beat() {
		this.jdbc.sql("""
				INSERT INTO engine_nodes (node_id, host) VALUES (:node, :host)
				ON CONFLICT (node_id) DO UPDATE SET last_seen_at = now()
				""").param("node", NodeIdentity.id()).param("host", NodeIdentity.host()).update();
	}

}
