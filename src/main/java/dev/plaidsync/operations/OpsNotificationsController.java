package dev.plaidsync.operations;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.servlet.http.HttpServletRequest;

import dev.plaidsync.notifications.NotificationDeliveries;
import dev.plaidsync.notifications.NotificationDeliveries.Attempt;
import dev.plaidsync.notifications.NotificationDeliveries.EventDelivery;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The outgoing events (Standard Webhooks deliveries to
 * {@code PLAIDSYNC_EVENTS_WEBHOOK_URL}): list them by user and delivery state, read an
 * event's attempts, and replay one event or everything given up since a time. Replays are
 * audited.
 */
@RestController
class OpsNotificationsController {

	private final NotificationDeliveries deliveries;

	private final OpsAudit audit;

	OpsNotificationsController(NotificationDeliveries deliveries, OpsAudit audit) {
		this.deliveries = deliveries;
		this.audit = audit;
	}

	@GetMapping("/ops/notifications/events")
	ResponseEntity<List<EventDelivery>> events(@RequestParam(required = false) String user,
			@RequestParam(required = false) String state, @RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size) {
		String wanted = (state == null || state.isBlank()) ? null : state.strip().toUpperCase(Locale.ROOT);
		if (wanted != null && !NotificationDeliveries.STATES.contains(wanted)) {
			throw OpsException.badRequest("state must be one of "
					+ NotificationDeliveries.STATES.stream().sorted().toList() + ", not " + state);
		}
		return OpsLists.answer(this.deliveries.events(userId(user), wanted, OpsLists.request(page, size, null, 50)));
	}

	@GetMapping("/ops/notifications/events/{eventId}/attempts")
	List<Attempt> attempts(@PathVariable long eventId) {
		return this.deliveries.attempts(eventId).orElseThrow(() -> OpsException.notFound("Event " + eventId));
	}

	@PostMapping("/ops/notifications/events/{eventId}/replay")
	Replayed replay(@PathVariable long eventId, HttpServletRequest request) {
		String target = "event " + eventId;
		refuseWithoutEndpoint(request, "replay event", target);
		if (!this.deliveries.replay(eventId)) {
			this.audit.record(request, "replay event", target, "REFUSED", "no such event");
			throw OpsException.notFound("Event " + eventId);
		}
		this.audit.record(request, "replay event", target, "DONE", null);
		return new Replayed(1);
	}

	@PostMapping("/ops/notifications/replay")
	Replayed replayFailed(@RequestBody(required = false) ReplayRequest body, HttpServletRequest request) {
		if (body == null || body.failedSince() == null || body.failedSince().isBlank()) {
			throw OpsException.badRequest(
					"Send {\"failed_since\": \"<ISO-8601 time with offset, e.g. 2026-12-01T00:00:00Z>\"}: every event given up (FAILED) since then is delivered again");
		}
		OffsetDateTime since;
		try {
			since = OffsetDateTime.parse(body.failedSince().strip());
		}
		catch (DateTimeParseException ex) {
			throw OpsException.badRequest("failed_since must be an ISO-8601 time with an offset, such as "
					+ "2026-12-01T00:00:00Z, not '" + abbreviated(body.failedSince()) + "'");
		}
		String target = "failed since " + since;
		refuseWithoutEndpoint(request, "replay failed events", target);
		int replayed = this.deliveries.replayFailedSince(since);
		this.audit.record(request, "replay failed events", target, "DONE", replayed + " event(s)");
		return new Replayed(replayed);
	}

	private void refuseWithoutEndpoint(HttpServletRequest request, String action, String target) {
		if (!this.deliveries.endpointConfigured()) {
			this.audit.record(request, action, target, "REFUSED", "no endpoint configured");
			throw OpsException.conflict(
					"No PLAIDSYNC_EVENTS_WEBHOOK_URL is configured, so there is nowhere to deliver events: set it (and PLAIDSYNC_EVENTS_WEBHOOK_SECRET), then replay");
		}
	}

	private static UUID userId(String user) {
		if (user == null || user.isBlank()) {
			return null;
		}
		try {
			return UUID.fromString(user.strip());
		}
		catch (IllegalArgumentException ex) {
			throw OpsException.badRequest("user must be a user id (a UUID), not '" + abbreviated(user) + "'");
		}
	}

	private static String abbreviated(String value) {
		return (value.length() > 60) ? value.substring(0, 60) + "..." : value;
	}

	record ReplayRequest(@JsonProperty("failed_since") String failedSince) {
	}

	/** How many events are PENDING again. */
	record Replayed(int replayed) {
	}

}
