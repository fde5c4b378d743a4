package dev.plaidsync.sync.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.plaidsync.common.DatabaseNotifications;
import dev.plaidsync.sync.RequestOutcome.ItemResult;
import dev.plaidsync.sync.RequestOutcome;
import dev.plaidsync.sync.SyncRequests;
import dev.plaidsync.sync.SyncRunEnded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * {@link SyncRequests} on this node: waits completed by {@link SyncRunEnded} here and by
 * {@code NOTIFY} from the other replicas, and caught up from {@code sync_run_requests}
 * should a notification be missed.
 */
@Component("syncRequests")
class SyncRequestWaits implements SyncRequests, DatabaseNotifications.Subscriber {

	private static final Logger log = LoggerFactory.getLogger(SyncRequests.class);

	private static final TypeReference<List<ItemResult>> ITEM_RESULTS = new TypeReference<>() {
	};

	/** A wait nobody completed (its caller gave up long ago) is dropped after this. */
	private static final Duration FORGET_WAITS_AFTER = Duration.ofMinutes(30);

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Map<Long, Wait> waits = new ConcurrentHashMap<>();

	SyncRequestWaits(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * How the requests that have ended ended; requests still waiting for their run are
	 * absent.
	 */
	@Override
	public Map<Long, RequestOutcome> outcomes(Collection<Long> requestIds) {
		Map<Long, RequestOutcome> outcomes = new LinkedHashMap<>();
		if (requestIds.isEmpty()) {
			return outcomes;
		}
		this.jdbc.sql("""
				SELECT id, job_name, scope_key, job_execution_id, run_status, requested_at, ended_at, item_results::text
				FROM sync_run_requests WHERE id IN (:ids) AND ended_at IS NOT NULL ORDER BY id
				""")
			.param("ids", List.copyOf(requestIds))
			.query((row, number) -> new RequestOutcome(row.getLong("id"), row.getString("job_name"),
					row.getString("scope_key"), (Long) row.getObject("job_execution_id"), row.getString("run_status"),
					row.getObject("requested_at", OffsetDateTime.class).toInstant(),
					row.getObject("ended_at", OffsetDateTime.class).toInstant(),
					(row.getString("item_results") != null)
							? this.json.readValue(row.getString("item_results"), ITEM_RESULTS) : List.of()))
			.list()
			.forEach((outcome) -> outcomes.put(outcome.requestId(), outcome));
		return outcomes;
	}

	/**
	 * Completes, with the outcomes in the order of {@code requestIds}, once every
	 * request's run has ended; at once when they already have. Bound it with
	 * {@link CompletableFuture#orTimeout}. Completion may come on a listener or job
	 * thread: continue with an {@code ...Async} stage for anything slow.
	 */
	@Override
	public CompletableFuture<List<RequestOutcome>> whenEnded(Collection<Long> requestIds) {
		List<Long> ids = List.copyOf(requestIds);
		List<CompletableFuture<RequestOutcome>> each = new ArrayList<>();
		for (long id : ids) {
			each.add(this.waits.computeIfAbsent(id, (key) -> new Wait(new CompletableFuture<>(), Instant.now()))
				.future());
		}
		complete(outcomes(ids).values());
		return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
			.thenApply((done) -> each.stream().map(CompletableFuture::join).toList());
	}

	/** On the node that recorded the end, right after its commit. */
	@TransactionalEventListener
	void runEnded(SyncRunEnded ended) {
		complete(ended.requests());
	}

	@Override
	public String channel() {
		return SyncRunEndings.CHANNEL;
	}

	@Override
	public void notified(String payload) {
		List<Long> waited = SyncRunEndings.parseIds(payload).stream().filter(this.waits::containsKey).toList();
		if (!waited.isEmpty()) {
			complete(outcomes(waited).values());
		}
	}

	@Override
	public void reconnected() {
		catchUp();
	}

	/**
	 * Notifications can be missed (the listener reconnected, or NOTIFY failed): waits
	 * also catch up from the table.
	 */
	@Scheduled(fixedDelayString = "${plaidsync.sync.request-wait-check:5s}")
	void catchUp() {
		Instant forgetBefore = Instant.now().minus(FORGET_WAITS_AFTER);
		this.waits.entrySet()
			.removeIf((entry) -> entry.getValue().since().isBefore(forgetBefore) || entry.getValue().future().isDone());
		if (!this.waits.isEmpty()) {
			try {
				complete(outcomes(List.copyOf(this.waits.keySet())).values());
			}
			catch (RuntimeException ex) {
				log.debug("Could not check waited-for sync requests now: {}", ex.getMessage());
			}
		}
	}

	private void complete(Collection<RequestOutcome> outcomes) {
		for (RequestOutcome outcome : outcomes) {
			Wait wait = this.waits.remove(outcome.requestId());
			if (wait != null) {
				wait.future().complete(outcome);
			}
		}
	}

	private record Wait(CompletableFuture<RequestOutcome> future, Instant since) {
	}

}
