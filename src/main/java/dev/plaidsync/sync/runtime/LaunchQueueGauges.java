package dev.plaidsync.sync.runtime;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.plaidsync.sync.LaunchTier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The launch queue as every node sees it (it is one table): per tier, how many runs wait
 * to start ({@code sync_launch_queue_depth}) and how long the oldest has waited
 * ({@code sync_launch_queue_oldest_wait_seconds}), read every few seconds rather than at
 * each scrape.
 */
@Component
class LaunchQueueGauges {

	static final String BY_TIER = """
			SELECT tier, count(*), coalesce(extract(epoch FROM now() - min(requested_at)), 0)
			FROM sync_requests WHERE state = 'PENDING' GROUP BY tier
			""";

	private static final Logger log = LoggerFactory.getLogger(LaunchQueueGauges.class);

	private final JdbcClient jdbc;

	private final AtomicReference<Map<LaunchTier, double[]>> latest = new AtomicReference<>(Map.of());

	LaunchQueueGauges(JdbcClient jdbc, MeterRegistry meters) {
		this.jdbc = jdbc;
		for (LaunchTier tier : LaunchTier.values()) {
			String name = tier.name().toLowerCase(Locale.ROOT);
			Gauge.builder("sync.launch.queue.depth", this.latest, (held) -> value(held, tier, 0))
				.description("Runs waiting to start, by launch tier (all nodes)")
				.tag("tier", name)
				.register(meters);
			Gauge.builder("sync.launch.queue.oldest.wait", this.latest, (held) -> value(held, tier, 1))
				.description("How long the oldest run waiting to start has waited, by launch tier (all nodes)")
				.tag("tier", name)
				.baseUnit("seconds")
				.register(meters);
		}
	}

	private static double value(AtomicReference<Map<LaunchTier, double[]>> held, LaunchTier tier, int index) {
		double[] values = held.get().get(tier);
		return (values != null) ? values[index] : 0;
	}

	@Scheduled(fixedDelayString = "${plaidsync.sync.queue-gauge-interval:5s}")
	void refresh() {
		try {
			Map<LaunchTier, double[]> read = new EnumMap<>(LaunchTier.class);
			this.jdbc.sql(BY_TIER).query((row) -> {
				read.put(LaunchTier.values()[row.getInt(1)], new double[] { row.getLong(2), row.getDouble(3) });
			});
			this.latest.set(read);
		}
		catch (DataAccessException ex) {
			log.debug("Could not read the launch queue's depth now: {}", ex.getMessage());
		}
	}

}
