package dev.plaidsync.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An app's backend receiving the engine's events: a real HTTP server that verifies every
 * request as the Standard Webhooks specification says (standardwebhooks.com), with its
 * own implementation (javax.crypto.Mac over {@code id.timestamp.body}, keyed by the
 * base64 bytes after {@code whsec_}; any one of the space-separated {@code v1,}
 * signatures matching in constant time; a timestamp within five minutes), independent of
 * the engine's signer. What it answers is up to the test: an HTTP status, or
 * {@link #HANG} to hold the request past the engine's read timeout.
 */
final class StandardWebhooksReceiver implements AutoCloseable {

	static final int HANG = -1;

	private final HttpServer server;

	private final byte[] key;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private volatile BiFunction<Integer, String, Integer> answer = (n, body) -> 204;

	StandardWebhooksReceiver(String secret) throws IOException {
		this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.setExecutor(Executors.newFixedThreadPool(16));
		this.server.createContext("/hooks", this::handle);
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hooks";
	}

	/**
	 * What the receiver answers to its n-th request (from 0, counted from this call) with
	 * this body.
	 */
	void answer(BiFunction<Integer, String, Integer> answer) {
		int start = this.received.size();
		this.answer = (n, body) -> answer.apply(n - start, body);
	}

	List<Received> received() {
		return List.copyOf(this.received);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		String id = exchange.getRequestHeaders().getFirst("webhook-id");
		String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
		String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
		boolean verified = verifies(this.key, id, timestamp, signature, body);
		int status;
		synchronized (this) {
			status = this.answer.apply(this.received.size(), body);
			this.received.add(new Received(id, timestamp, signature, body, verified, status));
		}
		if (status == HANG) {
			try {
				Thread.sleep(3000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			status = 200;
		}
		if (!verified) {
			status = 401;
		}
		exchange.sendResponseHeaders(status, -1);
		try (OutputStream out = exchange.getResponseBody()) {
			out.flush();
		}
		exchange.close();
	}

	static boolean verifies(byte[] key, String id, String timestamp, String signatures, String body) {
		if (id == null || timestamp == null || signatures == null) {
			return false;
		}
		long sentAt;
		try {
			sentAt = Long.parseLong(timestamp);
		}
		catch (NumberFormatException ex) {
			return false;
		}
		if (Math.abs(Instant.now().getEpochSecond() - sentAt) > 300) {
			return false;
		}
		byte[] expected;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		for (String versioned : signatures.split(" ")) {
			int comma = versioned.indexOf(',');
			if (comma > 0 && versioned.substring(0, comma).equals("v1")) {
				byte[] presented;
				try {
					presented = Base64.getDecoder().decode(versioned.substring(comma + 1));
				}
				catch (IllegalArgumentException ex) {
					continue;
				}
				if (MessageDigest.isEqual(expected, presented)) {
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/**
	 * One request as it arrived, whether its signature verified, and what it was told.
	 */
	record Received(String messageId, String timestamp, String signature, String body, boolean verified, int answered) {

		boolean accepted() {
			return this.verified && this.answered >= 200 && this.answered < 300;
		}

	}

}
