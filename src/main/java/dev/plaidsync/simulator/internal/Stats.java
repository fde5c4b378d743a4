package dev.plaidsync.simulator.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import dev.plaidsync.simulator.SimulatorStats;
import dev.plaidsync.simulator.WebhookDelivery;

final class Stats {

	private static final int MINUTES_KEPT = 120;

	private static final int CALL_TIMES_KEPT = 10_000;

	private final Clock clock;

	private final ConcurrentMap<String, LongAdder> calls = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ConcurrentMap<String, LongAdder>> callsPerItem = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ConcurrentMap<Long, LongAdder>> callsPerMinute = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, LongAdder> rejections = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, LongAdder> injected = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, ArrayDeque<Long>> callTimes = new ConcurrentHashMap<>();

	private final List<WebhookDelivery> deliveries = new CopyOnWriteArrayList<>();

	Stats(Clock clock) {
		this.clock = clock;
	}

	void call(String endpoint, String itemId) {
		calls.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
		if (itemId != null) {
			callsPerItem.computeIfAbsent(endpoint, k -> new ConcurrentHashMap<>())
				.computeIfAbsent(itemId, k -> new LongAdder())
				.increment();
		}
		long now = clock.millis();
		ArrayDeque<Long> times = callTimes.computeIfAbsent(endpoint, k -> new ArrayDeque<>());
		synchronized (times) {
			if (times.size() == CALL_TIMES_KEPT) {
				times.pollFirst();
			}
			times.addLast(now);
		}
		long minute = now / 60_000;
		ConcurrentMap<Long, LongAdder> minutes = callsPerMinute.computeIfAbsent(endpoint,
				k -> new ConcurrentHashMap<>());
		LongAdder counter = minutes.get(minute);
		if (counter == null) {
			counter = minutes.computeIfAbsent(minute, k -> new LongAdder());
			minutes.keySet().removeIf(m -> m < minute - MINUTES_KEPT);
		}
		counter.increment();
	}

	List<Instant> callTimes(String endpoint) {
		ArrayDeque<Long> times = callTimes.get(endpoint);
		if (times == null) {
			return List.of();
		}
		synchronized (times) {
			return times.stream().map(Instant::ofEpochMilli).toList();
		}
	}

	void rejected(String endpoint) {
		rejections.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
	}

	void injected(String errorCode) {
		injected.computeIfAbsent(errorCode, k -> new LongAdder()).increment();
	}

	void delivery(WebhookDelivery delivery) {
		deliveries.add(delivery);
	}

	List<WebhookDelivery> deliveries() {
		return List.copyOf(deliveries);
	}

	void reset() {
		calls.clear();
		callsPerItem.clear();
		callsPerMinute.clear();
		callTimes.clear();
		rejections.clear();
		injected.clear();
		deliveries.clear();
	}

	SimulatorStats snapshot() {
		Map<String, Map<String, Long>> perItem = new TreeMap<>();
		callsPerItem.forEach((endpoint, items) -> perItem.put(endpoint, sum(items)));
		Map<String, Map<Long, Long>> perMinute = new TreeMap<>();
		callsPerMinute.forEach((endpoint, minutes) -> perMinute.put(endpoint, sum(minutes)));
		return new SimulatorStats(sum(calls), perItem, perMinute, sum(rejections), sum(injected),
				new ArrayList<>(deliveries));
	}

	private static <K extends Comparable<K>> Map<K, Long> sum(Map<K, LongAdder> counters) {
		Map<K, Long> result = new TreeMap<>();
		counters.forEach((k, v) -> result.put(k, v.sum()));
		return result;
	}

}
