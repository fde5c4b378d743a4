package dev.plaidsync.portfolio;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import dev.plaidsync.notifications.UserEventLog;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The server-sent-event streams open on this replica, per user. Each stream carries the
 * user's events from the outbox ({@link UserEventLog}): {@code id:} the event's seq,
 * {@code event:} its type, {@code data:} the document the outgoing webhook sends. A
 * stream subscribes first and reads the outbox after, and then reads it again after each
 * "new events" notification, always after the last seq it sent: so it sends every event
 * once, in order, with no gap, whichever replica wrote it. A resume
 * ({@code Last-Event-ID}) replays what came after that id; from further back than
 * {@link #REPLAY_WINDOW}, or than the oldest event kept, it sends one {@code reset}
 * instead and goes on live. {@code portfolio-updated} (only a time) is still sent on each
 * portfolio change, for the clients written before the typed events. Idle streams get a
 * comment every {@code plaidsync.api.stream-heartbeat}, so that proxies keep them open,
 * and dead ones are dropped. Thread-safe.
 */
@Component
class PortfolioStreams implements DisposableBean {

	static final String EVENT = "portfolio-updated";

	static final String RESET = "reset";

	/** How far back a resume is replayed; from further back the client reloads. */
	static final Duration REPLAY_WINDOW = Duration.ofHours(24);

	private static final int BATCH = 200;

	private static final Logger log = LoggerFactory.getLogger(PortfolioStreams.class);

	private final Map<UUID, List<Stream>> streams = new ConcurrentHashMap<>();

	private final Set<UUID> catchUpsDue = ConcurrentHashMap.newKeySet();

	private final ExecutorService catchUps = Executors.newFixedThreadPool(2, (task) -> {
		Thread thread = new Thread(task, "stream-catch-up");
		thread.setDaemon(true);
		return thread;
	});

	private final UserApiProperties properties;

	private final UserApiLimitsProperties limits;

	private final UserEventLog events;

	PortfolioStreams(UserApiProperties properties, UserApiLimitsProperties limits, UserEventLog events) {
		this.properties = properties;
		this.limits = limits;
		this.events = events;
	}

	/** One open stream, and the seq of the last event it sent (-1 until it started). */
	private static final class Stream {

		private final SseEmitter emitter;

		private long cursor = -1;

		Stream(SseEmitter emitter) {
			this.emitter = emitter;
		}

	}

	/**
	 * @param lastEventId the last event the client saw, to resume after; null: live
	 * events only
	 * @throws UserActionLimits.RetryLater 503 when this node already holds
	 * {@code plaidsync.api.limits.max-streams} live streams: the client reconnects later,
	 * perhaps to another replica
	 */
	SseEmitter open(UUID userId, @Nullable Long lastEventId) {
		SseEmitter emitter = new SseEmitter(this.properties.streamTimeout().toMillis());
		Stream stream = new Stream(emitter);
		synchronized (this.streams) {
			if (openStreams() >= this.limits.maxStreams()) {
				long seconds = Math.max(1, this.limits.streamRetryAfter().toSeconds());
				throw new UserActionLimits.RetryLater(HttpStatus.SERVICE_UNAVAILABLE, "too_many_streams",
						"This server holds as many live streams as it may; reconnect in " + seconds
								+ " s. GET /api/portfolio works meanwhile.",
						seconds);
			}
			this.streams.computeIfAbsent(userId, (key) -> new CopyOnWriteArrayList<>()).add(stream);
		}
		List<Stream> mine = this.streams.getOrDefault(userId, new CopyOnWriteArrayList<>());
		while (mine.size() > this.properties.maxStreamsPerUser()) {
			Stream oldest = mine.remove(0);
			oldest.emitter.complete();
		}
		Runnable forget = () -> forget(userId, stream);
		emitter.onCompletion(forget);
		emitter.onTimeout(forget);
		emitter.onError((failure) -> forget.run());
		try {
			start(userId, stream, lastEventId);
		}
		catch (RuntimeException ex) {
			forget.run();
			throw ex;
		}
		return emitter;
	}

	private void start(UUID userId, Stream stream, @Nullable Long lastEventId) {
		synchronized (stream) {
			long head = this.events.head(userId);
			String reset = null;
			if (lastEventId != null && lastEventId > head) {
				reset = "Event " + lastEventId + " was never sent to you (your latest is " + head + ")";
			}
			else if (lastEventId != null && lastEventId < head) {
				Optional<OffsetDateTime> next = this.events.occurredAt(userId, lastEventId + 1);
				if (next.isEmpty() || next.get().toInstant().isBefore(Instant.now().minus(REPLAY_WINDOW))) {
					reset = "The events after " + lastEventId + " are older than the stream replays (the last "
							+ REPLAY_WINDOW.toHours() + " hours) or no longer kept";
				}
			}
			long from = (lastEventId != null && reset == null) ? lastEventId : head;
			send(userId, stream,
					SseEmitter.event()
						.id(Long.toString(from))
						.name("connected")
						.data(Map.of("at", Instant.now().toString()), MediaType.APPLICATION_JSON)
						.reconnectTime(3000));
			if (reset != null) {
				Map<String, Object> data = new LinkedHashMap<>();
				data.put("reason", "too_far_back");
				data.put("message", reset + ": reload what you show (GET /api/portfolio, GET /api/plaid/items); "
						+ "this stream goes on with the events after " + head + ".");
				data.put("last_event_id", head);
				send(userId, stream,
						SseEmitter.event().id(Long.toString(head)).name(RESET).data(data, MediaType.APPLICATION_JSON));
			}
			stream.cursor = from;
			sendNewEvents(userId, stream);
		}
	}

	/**
	 * The user has new events: each of their streams here reads and sends those after its
	 * last, off the notification listener's thread.
	 */
	void newEvents(UUID userId) {
		if (!this.streams.containsKey(userId) || !this.catchUpsDue.add(userId)) {
			return;
		}
		try {
			this.catchUps.execute(() -> {
				this.catchUpsDue.remove(userId);
				List<Stream> mine = this.streams.get(userId);
				if (mine != null) {
					mine.forEach((stream) -> catchUp(userId, stream));
				}
			});
		}
		catch (RejectedExecutionException shuttingDown) {
			this.catchUpsDue.remove(userId);
		}
	}

	/**
	 * Notifications may have been missed: every stream here reads what it has not sent.
	 */
	void newEventsForEveryone() {
		this.streams.keySet().forEach(this::newEvents);
	}

	private void catchUp(UUID userId, Stream stream) {
		synchronized (stream) {
			if (stream.cursor < 0) {
				return;
			}
			try {
				sendNewEvents(userId, stream);
			}
			catch (RuntimeException ex) {
				// The client reconnects with its Last-Event-ID and is replayed what it
				// missed.
				log.warn("Closed a stream of user {} that could not read its new events: {}", userId, ex.toString());
				stream.emitter.complete();
			}
		}
	}

	private void sendNewEvents(UUID userId, Stream stream) {
		List<UserEventLog.UserEvent> batch;
		do {
			batch = this.events.after(userId, stream.cursor, BATCH);
			for (UserEventLog.UserEvent event : batch) {
				if (!send(userId, stream,
						SseEmitter.event().id(Long.toString(event.seq())).name(event.type()).data(event.document()))) {
					return;
				}
				stream.cursor = event.seq();
			}
		}
		while (batch.size() == BATCH);
	}

	void push(UUID userId) {
		List<Stream> mine = this.streams.get(userId);
		if (mine == null) {
			return;
		}
		for (Stream stream : mine) {
			send(userId, stream,
					SseEmitter.event()
						.name(EVENT)
						.data(Map.of("at", Instant.now().toString()), MediaType.APPLICATION_JSON));
		}
	}

	void pushToEveryone() {
		this.streams.keySet().forEach(this::push);
	}

	/** The users with a stream open on this replica. */
	Set<UUID> watchingUsers() {
		return Set.copyOf(this.streams.keySet());
	}

	int openStreams() {
		return this.streams.values().stream().mapToInt(List::size).sum();
	}

	@Scheduled(fixedDelayString = "${plaidsync.api.stream-heartbeat:25s}")
	void heartbeat() {
		this.streams.forEach((userId, mine) -> mine
			.forEach((stream) -> send(userId, stream, SseEmitter.event().comment("keep-alive"))));
	}

	@Override
	public void destroy() {
		this.catchUps.shutdownNow();
	}

	private boolean send(UUID userId, Stream stream, SseEmitter.SseEventBuilder event) {
		try {
			synchronized (stream.emitter) {
				stream.emitter.send(event);
			}
			return true;
		}
		catch (IOException | IllegalStateException gone) {
			forget(userId, stream);
			return false;
		}
	}

	private void forget(UUID userId, Stream stream) {
		this.streams.computeIfPresent(userId, (key, mine) -> {
			mine.remove(stream);
			return mine.isEmpty() ? null : mine;
		});
	}

}
