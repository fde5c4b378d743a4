package dev.plaidsync.simulator.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.plaidsync.simulator.WebhookDelivery;

final class WebhookSender implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

	private static final Duration FIRST_RETRY = Duration.ofSeconds(30);

	private static final Duration RETRY_HORIZON = Duration.ofHours(24);

	private final WebhookKeys keys;

	private final Stats stats;

	private final Clock clock;

	private final Duration timeout;

	private final ScheduledExecutorService executor;

	private final HttpClient http;

	private volatile double retryScale;

	WebhookSender(WebhookKeys keys, Stats stats, Clock clock, Duration timeout, double retryScale) {
		this.keys = keys;
		this.stats = stats;
		this.clock = clock;
		this.timeout = timeout;
		this.retryScale = retryScale;
		this.executor = Executors.newScheduledThreadPool(2, daemonThreads());
		this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(executor).build();
	}

	private static ThreadFactory daemonThreads() {
		AtomicInteger counter = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, "simulator-webhook-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	void setRetryScale(double retryScale) {
		this.retryScale = retryScale;
	}

	void send(String url, String itemId, Map<String, Object> body, Duration delay) {
		String webhookId = UUID.randomUUID().toString();
		byte[] bytes = WebhookJson.pretty(body);
		String type = String.valueOf(body.get("webhook_type"));
		String code = String.valueOf(body.get("webhook_code"));
		Attempt attempt = new Attempt(webhookId, url, itemId, type, code, bytes, 1, Duration.ZERO);
		executor.schedule(() -> deliver(attempt), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
	}

	private record Attempt(String webhookId, String url, String itemId, String type, String code, byte[] body,
			int number, Duration waitedSoFar) {
	}

	private void deliver(Attempt attempt) {
		if (attempt.url() == null || attempt.url().isBlank()) {
			stats.delivery(new WebhookDelivery(attempt.webhookId(), null, attempt.type(), attempt.code(),
					attempt.itemId(), attempt.number(), -1, null, clock.instant(),
					new String(attempt.body(), java.nio.charset.StandardCharsets.UTF_8)));
			log.info("No webhook URL for item {}: {}/{} dropped", attempt.itemId(), attempt.type(), attempt.code());
			return;
		}
		WebhookKeys.Signed signed = keys.sign(attempt.body());
		HttpRequest request;
		try {
			request = HttpRequest.newBuilder(URI.create(attempt.url()))
				.timeout(timeout)
				.header("Content-Type", "application/json")
				.header("Plaid-Verification", signed.jwt())
				.POST(HttpRequest.BodyPublishers.ofByteArray(attempt.body()))
				.build();
		}
		catch (IllegalArgumentException ex) {
			record(attempt, -1, signed);
			return;
		}
		http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
			int status = failure == null ? response.statusCode() : -1;
			record(attempt, status, signed);
			if (status != 200) {
				scheduleRetry(attempt);
			}
		});
	}

	private void record(Attempt attempt, int status, WebhookKeys.Signed signed) {
		stats.delivery(new WebhookDelivery(attempt.webhookId(), attempt.url(), attempt.type(), attempt.code(),
				attempt.itemId(), attempt.number(), status, signed.keyId(), clock.instant(),
				new String(attempt.body(), java.nio.charset.StandardCharsets.UTF_8)));
		if (status != 200) {
			log.debug("Webhook {}/{} for item {} attempt {} answered {}", attempt.type(), attempt.code(),
					attempt.itemId(), attempt.number(), status);
		}
	}

	private void scheduleRetry(Attempt attempt) {
		Duration delay = FIRST_RETRY.multipliedBy((long) Math.pow(4, attempt.number() - 1));
		Duration waited = attempt.waitedSoFar().plus(delay);
		if (waited.compareTo(RETRY_HORIZON) > 0 || executor.isShutdown()) {
			return;
		}
		long scaledMillis = (long) (delay.toMillis() * retryScale);
		Attempt next = new Attempt(attempt.webhookId(), attempt.url(), attempt.itemId(), attempt.type(), attempt.code(),
				attempt.body(), attempt.number() + 1, waited);
		try {
			executor.schedule(() -> deliver(next), scaledMillis, TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			log.debug("Simulator stopping; webhook retry dropped");
		}
	}

	@Override
	public void close() {
		executor.shutdownNow();
	}

}
