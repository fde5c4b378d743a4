package dev.plaidsync.portfolio;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The server-sent-event streams open on this replica, per user. {@code portfolio-updated}
 * carries only a time: the client reloads {@code GET /api/portfolio}. Idle streams get a
 * comment every {@code plaidsync.api.stream-heartbeat}, so that proxies keep them open,
 * and dead ones are dropped. Thread-safe.
 */
@Component
class PortfolioStreams {

	static final String EVENT = "portfolio-updated";

	private final Map<UUID, List<SseEmitter>> streams = new ConcurrentHashMap<>();

	private final UserApiProperties properties;

	private final UserApiLimitsProperties limits;

	PortfolioStreams(UserApiProperties properties, UserApiLimitsProperties limits) {
		this.properties = properties;
		this.limits = limits;
	}

	/**
	 * @throws UserActionLimits.RetryLater 503 when this node already holds
	 * {@code plaidsync.api.limits.max-streams} live streams: the client reconnects later,
	 * perhaps to another replica
	 */
	SseEmitter open(UUID userId) {
		SseEmitter emitter = new SseEmitter(this.properties.streamTimeout().toMillis());
		synchronized (this.streams) {
			if (openStreams() >= this.limits.maxStreams()) {
				long seconds = Math.max(1, this.limits.streamRetryAfter().toSeconds());
				throw new UserActionLimits.RetryLater(HttpStatus.SERVICE_UNAVAILABLE, "too_many_streams",
						"This server holds as many live streams as it may; reconnect in " + seconds
								+ " s. GET /api/portfolio works meanwhile.",
						seconds);
			}
			this.streams.computeIfAbsent(userId, (key) -> new CopyOnWriteArrayList<>()).add(emitter);
		}
		List<SseEmitter> mine = this.streams.getOrDefault(userId, new CopyOnWriteArrayList<>());
		while (mine.size() > this.properties.maxStreamsPerUser()) {
			SseEmitter oldest = mine.remove(0);
			oldest.complete();
		}
		Runnable forget = () -> forget(userId, emitter);
		emitter.onCompletion(forget);
		emitter.onTimeout(forget);
		emitter.onError((failure) -> forget.run());
		send(userId, emitter,
				SseEmitter.event()
					.name("connected")
					.data(Map.of("at", Instant.now().toString()), MediaType.APPLICATION_JSON)
					.reconnectTime(3000));
		return emitter;
	}

	void push(UUID userId) {
		List<SseEmitter> mine = this.streams.get(userId);
		if (mine == null) {
			return;
		}
		for (SseEmitter emitter : mine) {
			send(userId, emitter,
					SseEmitter.event()
						.name(EVENT)
						.data(Map.of("at", Instant.now().toString()), MediaType.APPLICATION_JSON));
		}
	}

	void pushToEveryone() {
		this.streams.keySet().forEach(this::push);
	}

	/** The users with a stream open on this replica. */
	java.util.Set<UUID> watchingUsers() {
		return java.util.Set.copyOf(this.streams.keySet());
	}

	int openStreams() {
		return this.streams.values().stream().mapToInt(List::size).sum();
	}

	@Scheduled(fixedDelayString = "${plaidsync.api.stream-heartbeat:25s}")
	void heartbeat() {
		this.streams.forEach((userId, mine) -> mine
			.forEach((emitter) -> send(userId, emitter, SseEmitter.event().comment("keep-alive"))));
	}

	private void send(UUID userId, SseEmitter emitter, SseEmitter.SseEventBuilder event) {
		try {
			synchronized (emitter) {
				emitter.send(event);
			}
		}
		catch (IOException | IllegalStateException gone) {
			forget(userId, emitter);
		}
	}

	private void forget(UUID userId, SseEmitter emitter) {
		this.streams.computeIfPresent(userId, (key, mine) -> {
			mine.remove(emitter);
			return mine.isEmpty() ? null : mine;
		});
	}

}
