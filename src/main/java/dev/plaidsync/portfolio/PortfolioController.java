package dev.plaidsync.portfolio;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The user's portfolio, transactions, webhook events, force-sync and live updates. */
@RestController
class PortfolioController {

	private static final int MAX_WINDOW_MONTHS = 25;

	private final CurrentUser currentUser;

	private final PortfolioCache cache;

	private final PortfolioSummaries summaries;

	private final UserHistory history;

	private final ForceSync forceSync;

	private final UserActionLimits limits;

	private final PortfolioStreams streams;

	private final PortfolioWatchers watchers;

	private final RealizedGains realizedGains;

	private final EntityTags entityTags;

	private final StreamTickets tickets;

	PortfolioController(CurrentUser currentUser, PortfolioCache cache, PortfolioSummaries summaries,
			UserHistory history, ForceSync forceSync, UserActionLimits limits, PortfolioStreams streams,
			PortfolioWatchers watchers, RealizedGains realizedGains, EntityTags entityTags, StreamTickets tickets) {
		this.tickets = tickets;
		this.watchers = watchers;
		this.entityTags = entityTags;
		this.currentUser = currentUser;
		this.cache = cache;
		this.summaries = summaries;
		this.history = history;
		this.forceSync = forceSync;
		this.limits = limits;
		this.streams = streams;
		this.realizedGains = realizedGains;
	}

	/**
	 * {@code method} names the cost-basis method; average cost is the only one. With
	 * {@code If-None-Match} holding the answer's {@code ETag}: 304 while it is unchanged.
	 */
	@GetMapping("/api/portfolio")
	ResponseEntity<PortfolioSummary> portfolio(@AuthenticationPrincipal Jwt jwt,
			@RequestParam(name = "method", required = false) String method) {
		if (method != null && !"average".equals(method)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_method",
					"method must be average (average cost), got '" + ApiException.abbreviate(method) + "'.");
		}
		UUID userId = this.currentUser.id(jwt);
		this.watchers.watching(userId);
		return this.entityTags.tagged(this.cache.get(userId, () -> this.summaries.summary(userId)), "generated_at");
	}

	/**
	 * {@code year} defaults to this year (UTC); {@code method} names the cost-basis
	 * method, average cost being the one computed.
	 */
	@GetMapping("/api/portfolio/realized")
	RealizedGains.Realized realized(@AuthenticationPrincipal Jwt jwt,
			@RequestParam(name = "year", required = false) String year,
			@RequestParam(name = "method", required = false) String method) {
		if (method != null && !"average".equals(method)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_method",
					"method must be average (average cost), got '" + ApiException.abbreviate(method) + "'.");
		}
		int thisYear = LocalDate.now(ZoneOffset.UTC).getYear();
		int asked;
		try {
			asked = (year != null) ? Integer.parseInt(year) : thisYear;
		}
		catch (NumberFormatException ex) {
			asked = -1;
		}
		if (asked < 1900 || asked > thisYear) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_year", "year must be a year from 1900 to "
					+ thisYear + " as YYYY, got '" + ApiException.abbreviate(String.valueOf(year)) + "'.");
		}
		return this.realizedGains.of(this.currentUser.id(jwt), asked);
	}

	@GetMapping("/api/portfolio/transactions")
	UserHistory.TransactionsPage transactions(@AuthenticationPrincipal Jwt jwt,
			@RequestParam(name = "start_date",
					required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate startDate,
			@RequestParam(name = "end_date",
					required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate endDate,
			@RequestParam(name = "account_id", required = false) String accountId,
			@RequestParam(name = "page", defaultValue = "0") int page,
			@RequestParam(name = "size", defaultValue = "50") int size) {
		LocalDate end = (endDate != null) ? endDate : LocalDate.now(ZoneOffset.UTC);
		LocalDate start = (startDate != null) ? startDate : end.minusDays(90);
		if (start.isAfter(end)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_date_range",
					"start_date " + start + " is after end_date " + end + "; send start_date <= end_date.");
		}
		if (start.isBefore(end.minusMonths(MAX_WINDOW_MONTHS))) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_date_range",
					"The range is longer than " + MAX_WINDOW_MONTHS + " months; Plaid keeps 24 months of history.");
		}
		if (page < 0 || page > 100_000 || size < 1 || size > 500) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_page",
					"page must be 0 or more, and size between 1 and 500.");
		}
		UUID userId = this.currentUser.id(jwt);
		if (accountId != null && (accountId.length() > 200 || !this.history.ownsAccount(userId, accountId))) {
			throw new ApiException(HttpStatus.NOT_FOUND, "account_not_found",
					"You have no account " + ApiException.abbreviate(accountId) + "; GET /api/portfolio lists yours.");
		}
		return this.history.transactions(userId, start, end, accountId, page, size);
	}

	/**
	 * Asynchronous: the servlet thread is released while the runs go on; the answer comes
	 * when they end.
	 */
	@PostMapping("/api/portfolio/force-sync")
	CompletableFuture<ResponseEntity<ForceSync.ForceSyncAnswer>> forceSync(@AuthenticationPrincipal Jwt jwt) {
		UUID userId = this.currentUser.id(jwt);
		this.limits.consume(userId, UserActionLimits.Action.SYNC);
		return this.forceSync.run(userId)
			.thenApply((result) -> ResponseEntity.status(result.accepted() ? HttpStatus.ACCEPTED : HttpStatus.OK)
				.body(this.forceSync.withTotal(userId, result.answer())));
	}

	@GetMapping("/api/webhook-events")
	UserHistory.UserWebhookEvents webhookEvents(@AuthenticationPrincipal Jwt jwt,
			@RequestParam(name = "limit", defaultValue = "50") int limit) {
		if (limit < 1 || limit > 500) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_limit", "limit must be between 1 and 500.");
		}
		return new UserHistory.UserWebhookEvents(this.history.webhookEvents(this.currentUser.id(jwt), limit));
	}

	/**
	 * Opens with the user's JWT or, from a browser's {@code EventSource}, with a ticket
	 * from {@code POST /api/portfolio/stream-ticket} (checked and used up by
	 * {@link StreamTicketFilter} before this runs). {@code Last-Event-ID}, or
	 * {@code last_event_id} on a reconnect with a new ticket, resumes after that event.
	 */
	@GetMapping(path = "/api/portfolio/stream", produces = { MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.ALL_VALUE })
	SseEmitter stream(Authentication authentication, @RequestParam(name = "ticket", required = false) String usedTicket,
			@RequestParam(name = "last_event_id", required = false) String lastEventIdParameter,
			@RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader) {
		Long lastEventId = lastEventId((lastEventIdHeader != null) ? lastEventIdHeader : lastEventIdParameter);
		UUID userId = (authentication instanceof StreamTicketAuthentication ticket) ? ticket.userId()
				: this.currentUser.id((Jwt) authentication.getPrincipal());
		SseEmitter stream = this.streams.open(userId, lastEventId);
		this.watchers.watching(userId);
		return stream;
	}

	/**
	 * A ticket for one stream, valid 60 s: {@code GET /api/portfolio/stream?ticket=...}.
	 */
	@PostMapping("/api/portfolio/stream-ticket")
	StreamTicketAnswer streamTicket(@AuthenticationPrincipal Jwt jwt) {
		UUID userId = this.currentUser.id(jwt);
		this.limits.consume(userId, UserActionLimits.Action.STREAM_TICKET);
		StreamTickets.Ticket ticket = this.tickets.issue(userId);
		return new StreamTicketAnswer(ticket.ticket(), ticket.expiresAt().toInstant().toString(),
				StreamTickets.TTL.toSeconds());
	}

	record StreamTicketAnswer(@JsonProperty("ticket") String ticket, @JsonProperty("expires_at") String expiresAt,
			@JsonProperty("expires_in_seconds") long expiresInSeconds) {
	}

	private static Long lastEventId(String value) {
		if (value == null) {
			return null;
		}
		if (!value.matches("[0-9]{1,18}")) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_last_event_id",
					"Last-Event-ID (or last_event_id) must be the id of an event this stream sent, a whole number "
							+ "such as 42, got '" + ApiException.abbreviate(value)
							+ "'. Leave it out to start with the events from now on.");
		}
		return Long.parseLong(value);
	}

}
