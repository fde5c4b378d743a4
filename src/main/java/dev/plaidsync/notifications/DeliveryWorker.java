package dev.plaidsync.notifications;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivers the outbox to {@code PLAIDSYNC_EVENTS_WEBHOOK_URL} on threads of its own (a
 * poller and {@code workers} delivery threads, never a sync's or a request's): each due
 * user is claimed, its oldest pending event POSTed with no database connection held, the
 * result recorded, and the user's next event sent at once on success. Nothing runs when
 * no URL is configured.
 */
@Component
class DeliveryWorker implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

	/** Events one user's task sends in a row before the user goes back to the queue. */
	private static final int RUN_PER_USER = 50;

	private final DeliveryQueue queue;

	private final DeliverySignal signal;

	private final NotificationProperties.Webhook settings;

	private final DeliveryTarget target;

	private final JsonMapper json;

	private final Counter delivered;

	private final Counter failedAttempts;

	private final Counter gaveUp;

	private volatile boolean running;

	private ExecutorService deliveries;

	private ExecutorService http;

	private Thread poller;

	private WebhookEndpoint endpoint;

	private Semaphore free;

	DeliveryWorker(DeliveryQueue queue, DeliverySignal signal, NotificationProperties properties, DeliveryTarget target,
			JsonMapper json, MeterRegistry meters) {
		this.queue = queue;
		this.signal = signal;
		this.settings = properties.webhook();
		this.target = target;
		this.json = json;
		this.delivered = outcome(meters, "delivered");
		this.failedAttempts = outcome(meters, "failed_attempt");
		this.gaveUp = outcome(meters, "gave_up");
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("plaidsync.notifications.deliveries")
			.tag("outcome", outcome)
			.description("Outgoing event delivery attempts by outcome: delivered (2xx), failed_attempt (to be "
					+ "retried), gave_up (marked FAILED after give-up-after)")
			.register(meters);
	}

	@Override
	public void start() {
		if (!this.target.configured()) {
			log.info("No PLAIDSYNC_EVENTS_WEBHOOK_URL: events are written to the outbox, not delivered");
			return;
		}
		this.deliveries = Executors.newFixedThreadPool(this.settings.workers(), named("events-delivery"));
		this.http = Executors.newFixedThreadPool(2, named("events-http"));
		this.endpoint = new WebhookEndpoint(this.target.url(), this.target.signatures(), this.settings, this.http,
				this.json);
		this.free = new Semaphore(this.settings.workers());
		this.running = true;
		this.poller = new Thread(this::poll, "events-poller");
		this.poller.setDaemon(true);
		this.poller.start();
		log.info("Delivering events to {} with {} worker(s)", this.endpoint.name(), this.settings.workers());
	}

	private void poll() {
		while (this.running) {
			try {
				this.signal.await(this.settings.pollInterval());
				int available = this.free.availablePermits();
				if (available == 0) {
					continue;
				}
				List<DeliveryQueue.Claim> claims = this.queue.claim(available);
				for (DeliveryQueue.Claim claim : claims) {
					this.free.acquire();
					this.deliveries.execute(() -> {
						try {
							deliverUser(claim);
						}
						catch (RuntimeException ex) {
							log.warn("Delivery of event {} failed before it was recorded (retried when its claim "
									+ "runs out): {}", claim.id(), ex.toString());
						}
						finally {
							this.free.release();
							this.signal.poke();
						}
					});
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.warn("Could not claim due event deliveries: {}", ex.toString());
				sleepQuietly();
			}
		}
	}

	private void deliverUser(DeliveryQueue.Claim first) {
		Optional<DeliveryQueue.Claim> next = Optional.of(first);
		for (int sent = 0; next.isPresent() && sent < RUN_PER_USER && this.running; sent++) {
			DeliveryQueue.Claim claim = next.get();
			DeliveryQueue.Attempt attempt = this.endpoint.send(claim);
			Optional<String> state = this.queue.record(claim, this.endpoint.name(), attempt);
			if (attempt.succeeded()) {
				this.delivered.increment();
			}
			else if (state.filter("FAILED"::equals).isPresent()) {
				this.gaveUp.increment();
				log.warn("Gave up delivering event {} ({}) of user {} after {}: last {}", claim.messageId(),
						claim.type(), claim.userId(), this.settings.giveUpAfter(),
						(attempt.httpStatus() != null) ? "HTTP " + attempt.httpStatus() : attempt.error());
			}
			else {
				this.failedAttempts.increment();
			}
			if (!attempt.succeeded()) {
				return;
			}
			next = this.queue.claimAgain(claim.userId());
		}
	}

	private void sleepQuietly() {
		try {
			Thread.sleep(this.settings.pollInterval().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.poller != null) {
			this.poller.interrupt();
			this.deliveries.shutdown();
			try {
				// calls still running are interrupted after this: their claims run out
				// and the
				// events are sent again, so delivery stays at least once
				this.deliveries.awaitTermination(Math.min(this.settings.readTimeout().toMillis(), 5000),
						TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.deliveries.shutdownNow();
			this.http.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private static java.util.concurrent.ThreadFactory named(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
