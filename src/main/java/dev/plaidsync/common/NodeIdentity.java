package dev.plaidsync.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * This engine process's id among the nodes sharing the database: host, pid and a random part, so that a pod
 * restarted with the same host name and pid is still a new node.
 */
public final class NodeIdentity {

	private static final String HOST = host();

	private static final String ID = HOST + "/" + ProcessHandle.current().pid() + "/"
			+ UUID.randomUUID().toString().substring(0, 8);

	private NodeIdentity() {
	}

	public static String id() {
		return ID;
	}

	public static String host() {
		if (HOST != null) {
			return HOST;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			String fromEnvironment = System.getenv("HOSTNAME");
			return (fromEnvironment != null) ? fromEnvironment : "unknown-host";
		}
	}

}
