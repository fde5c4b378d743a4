package dev.plaidsync.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

final class WebhookReceiver implements AutoCloseable {

	record Received(String path, String verification, byte[] body) {
	}

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

	WebhookReceiver() {
		try {
			server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		server.createContext("/", exchange -> {
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			String path = exchange.getRequestURI().getPath();
			received.add(new Received(path, exchange.getRequestHeaders().getFirst("plaid-verification"), body));
			AtomicInteger failures = failuresLeft.get(path);
			int status = failures != null && failures.getAndDecrement() > 0 ? 500 : 200;
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		server.start();
	}

	String url(String path) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + path;
	}

	void failFirst(String path, int failures) {
		failuresLeft.put(path, new AtomicInteger(failures));
	}

	List<Received> received(String path) {
		return received.stream().filter(r -> r.path().equals(path)).toList();
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
