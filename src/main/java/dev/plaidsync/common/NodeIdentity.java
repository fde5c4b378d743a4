package dev.plaidsync.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * This engine's id among the nodes sharing the database: host, pid and a random part, so
 * that a pod restarted with the same host name and pid is still a new node. It is a bean
 * of the application context, not of the JVM: two engines in one JVM (tests, benchmarks)
 * are two nodes, each owning, stopping and recovering only its own executions.
 */
@Component
public class NodeIdentity {

	private final String host;

	private final String id;

	public NodeIdentity() {
		this.host = resolveHost();
		this.id = this.host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
	}

	public String id() {
		return this.id;
	}

	public String host() {
		return this.host;
	}

	private static String resolveHost() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String fromEnvironment = System.getenv("HOSTNAME");
			return (fromEnvironment != null) ? fromEnvironment : "unknown-host";
		}
	}

}
