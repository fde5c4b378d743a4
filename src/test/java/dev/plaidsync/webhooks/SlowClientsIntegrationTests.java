package dev.plaidsync.webhooks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.plaidsync.simulator.PlaidSimulator;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import dev.plaidsync.webhooks.WebhookPoster.Answer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.plaidsync.webhooks.WebhookPoster.plaidBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 26: hundreds of anonymous clients trickling webhook bodies a byte at a time hold
 * no request thread. While they crawl, {@code /livez} and a real signed webhook answer
 * within a second; each trickler is answered 408 (or closed) once the body timeout has
 * passed; and one address gets no more than its share of requests in flight. Raw sockets
 * on loopback only, from several loopback source addresses (127.0.0.0/8 is all local),
 * bounded in count and time.
 */
@EngineIntegrationTest
class SlowClientsIntegrationTests {

	private static final int ADDRESSES = 10;

	private static final int PER_ADDRESS = 30;

	/** plaidsync.webhooks.max-requests-per-address, the default. */
	private static final int ADDRESS_LIMIT = 64;

	private static final int OVER_LIMIT = 10;

	/**
	 * plaidsync.webhooks.body-timeout, the default; Tomcat checks async timeouts once a
	 * second.
	 */
	private static final Duration BODY_TIMEOUT = Duration.ofSeconds(5);

	@LocalServerPort
	int port;

	@Autowired
	PlaidSimulator simulator;

	@Test
	void tricklingBodiesNeitherStarveTheProbesNorIntakeAndAreCutOffAtTheTimeout() throws Exception {
		List<Trickler> spread = new ArrayList<>();
		List<Trickler> crowded = new ArrayList<>();
		AtomicBoolean stop = new AtomicBoolean();
		Thread trickling = null;
		try {
			for (int a = 0; a < ADDRESSES; a++) {
				for (int n = 0; n < PER_ADDRESS; n++) {
					spread.add(new Trickler("127.0.0." + (20 + a), this.port));
				}
			}
			for (int n = 0; n < ADDRESS_LIMIT + OVER_LIMIT; n++) {
				crowded.add(new Trickler("127.0.0.99", this.port));
			}
			List<Trickler> all = new ArrayList<>(spread);
			all.addAll(crowded);
			trickling = new Thread(() -> trickle(all, stop), "tricklers");
			trickling.start();
			// every trickler has sent its headers and some of its body
			await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().allMatch((t) -> t.sent >= 3 || t.ended()));

			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			long started = System.nanoTime();
			HttpResponse<String> livez = http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/livez"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			Duration livezTook = Duration.ofNanos(System.nanoTime() - started);
			byte[] body = plaidBody("environment", "sandbox", "error", null, "item_id", "slow-" + UUID.randomUUID(),
					"new_holdings", 1, "updated_holdings", 0, "webhook_code", "DEFAULT_UPDATE", "webhook_type",
					"HOLDINGS");
			Answer webhook = new WebhookPoster("http://127.0.0.1:" + this.port).post(body,
					this.simulator.signWebhook(body).verification());

			assertThat(livez.statusCode()).isEqualTo(200);
			assertThat(livezTook).isLessThan(Duration.ofSeconds(1));
			assertThat(webhook.status()).as(webhook.body().toString()).isEqualTo(200);
			assertThat(webhook.took()).isLessThan(Duration.ofSeconds(1));
			assertThat(spread.stream().filter(Trickler::ended)).as("tricklers cut off before the timeout").isEmpty();

			await().atMost(BODY_TIMEOUT.plusSeconds(5)).until(() -> all.stream().allMatch(Trickler::ended));
			assertThat(crowded.stream().filter((t) -> t.status == 429)).hasSize(OVER_LIMIT)
				.allSatisfy((t) -> assertThat(t.endedAfter()).isLessThan(Duration.ofSeconds(2)));
			List<Trickler> admitted = new ArrayList<>(spread);
			crowded.stream().filter((t) -> t.status != 429).forEach(admitted::add);
			assertThat(admitted).hasSize(ADDRESSES * PER_ADDRESS + ADDRESS_LIMIT).allSatisfy((t) -> {
				assertThat(t.status).as("answered 408, or closed (-1)").isIn(408, -1);
				assertThat(t.endedAfter()).isBetween(BODY_TIMEOUT.minusMillis(500), BODY_TIMEOUT.plusSeconds(3));
			});
			assertThat(admitted.stream().filter((t) -> t.status == 408)).as("most see the 408 before the close")
				.hasSizeGreaterThan(admitted.size() / 2);
		}
		finally {
			stop.set(true);
			if (trickling != null) {
				trickling.join(5_000);
			}
			for (Trickler t : spread) {
				t.close();
			}
			for (Trickler t : crowded) {
				t.close();
			}
		}
	}

	/** One byte to every trickler every 100 ms; answers are read as they come. */
	private static void trickle(List<Trickler> tricklers, AtomicBoolean stop) {
		long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
		while (!stop.get() && System.nanoTime() < deadline && !tricklers.stream().allMatch(Trickler::ended)) {
			for (Trickler t : tricklers) {
				t.step();
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** A client that declares a 2 KB webhook body and sends it a byte at a time. */
	private static final class Trickler {

		private static final int DECLARED = 2048;

		private final SocketChannel channel;

		private final long headersSentAt;

		private final ByteBuffer answer = ByteBuffer.allocate(64);

		volatile int sent;

		/**
		 * The answer's status; -1 when the connection closed without one; 0 while open.
		 */
		volatile int status;

		volatile long endedAt;

		Trickler(String from, int port) throws IOException {
			this.channel = SocketChannel.open();
			this.channel.bind(new InetSocketAddress(from, 0));
			this.channel.connect(new InetSocketAddress("127.0.0.1", port));
			this.channel.configureBlocking(false);
			String head = "POST /webhook/plaid HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
					+ "Content-Type: application/json\r\nPlaid-Verification: x.y.z\r\nContent-Length: " + DECLARED
					+ "\r\n\r\n";
			ByteBuffer bytes = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
			while (bytes.hasRemaining()) {
				this.channel.write(bytes);
			}
			this.headersSentAt = System.nanoTime();
		}

		void step() {
			if (ended()) {
				return;
			}
			try {
				int read = this.channel.read(this.answer);
				if (this.answer.position() >= 12) {
					end(Integer.parseInt(new String(this.answer.array(), 9, 3, StandardCharsets.ISO_8859_1)));
					return;
				}
				if (read < 0) {
					end(-1);
					return;
				}
				if (this.sent < DECLARED - 1) {
					this.sent += this.channel.write(ByteBuffer.wrap(new byte[] { ' ' }));
				}
			}
			catch (IOException closed) {
				end(-1);
			}
		}

		boolean ended() {
			return this.status != 0;
		}

		Duration endedAfter() {
			return Duration.ofNanos(this.endedAt - this.headersSentAt);
		}

		private void end(int status) {
			this.endedAt = System.nanoTime();
			this.status = status;
			close();
		}

		void close() {
			try {
				this.channel.close();
			}
			catch (IOException ignored) {
				// closing a socket the server already closed
			}
		}

	}

}
