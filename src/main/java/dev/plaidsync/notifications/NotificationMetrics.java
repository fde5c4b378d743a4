package dev.plaidsync.notifications;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

import dev.plaidsync.common.DedicatedThread;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the event delivery alerts watch, read from the shared database every 15 seconds,
 * so every node reports the same: the age of the oldest event still waiting for delivery
 * (0 when none), and how many events were given up (FAILED, to be replayed).
 */
@Component
class NotificationMetrics {

	private final JdbcClient jdbc;

	private final AtomicLong oldestPendingSeconds = new AtomicLong();

	private final AtomicLong failedEvents = new AtomicLong();

	private final DedicatedThread refresh;

	NotificationMetrics(JdbcClient jdbc, MeterRegistry meters) {
		this.jdbc = jdbc;
		Gauge.builder("plaidsync.notifications.oldest.pending", this.oldestPendingSeconds, AtomicLong::get)
			.baseUnit("seconds")
			.description("Age of the oldest outgoing event not yet delivered (0: none waits)")
			.register(meters);
		Gauge.builder("plaidsync.notifications.failed.events", this.failedEvents, AtomicLong::get)
			.description("Outgoing events given up after retrying (FAILED), until replayed")
			.register(meters);
		this.refresh = DedicatedThread.atFixedRate("events-metrics", Duration.ofSeconds(1), Duration.ofSeconds(15),
				this::refresh);
	}

	void refresh() {
		this.oldestPendingSeconds.set(this.jdbc.sql("""
				SELECT coalesce(floor(extract(epoch FROM clock_timestamp() - min(occurred_at))), 0)::bigint
				FROM notification_events WHERE delivery = 'PENDING'
				""").query(Long.class).single());
		this.failedEvents.set(this.jdbc
			.sql("SELECT count(*) FROM (SELECT 1 FROM notification_events WHERE delivery = 'FAILED' LIMIT 100000) AS f")
			.query(Long.class)
			.single());
	}

	@PreDestroy
	void stop() {
		this.refresh.close();
	}

}
