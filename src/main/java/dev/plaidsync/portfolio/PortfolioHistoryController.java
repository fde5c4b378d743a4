package dev.plaidsync.portfolio;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.items.InvestmentAccounts;
import dev.plaidsync.sync.HistoryProperties;
import dev.plaidsync.sync.HoldingsSnapshots;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/portfolio/history?from=&to=}: per market day, the user's total value
 * per currency and per account, from the daily holdings history
 * ({@link HoldingsSnapshots}) and the accounts' names ({@link InvestmentAccounts}), read
 * in one user-scoped transaction, with as-of semantics ({@link AsOfHistory}): every
 * account carries its latest snapshot forward, marked stale after
 * {@code plaidsync.history.stale-after-days}.
 */
@RestController
class PortfolioHistoryController {

	static final int MAX_DAYS = 1_100;

	private final CurrentUser currentUser;

	private final UserScopedSession session;

	private final InvestmentAccounts accounts;

	private final HoldingsSnapshots snapshots;

	private final HistoryProperties properties;

	PortfolioHistoryController(CurrentUser currentUser, UserScopedSession session, InvestmentAccounts accounts,
			HoldingsSnapshots snapshots, HistoryProperties properties) {
		this.currentUser = currentUser;
		this.session = session;
		this.accounts = accounts;
		this.snapshots = snapshots;
		this.properties = properties;
	}

	@GetMapping("/api/portfolio/history")
	AsOfHistory.History history(@AuthenticationPrincipal Jwt jwt,
			@RequestParam(name = "from", required = false) String from,
			@RequestParam(name = "to", required = false) String to) {
		LocalDate end = (to != null) ? date("to", to) : LocalDate.now(this.properties.marketZone());
		LocalDate start = (from != null) ? date("from", from) : end.minusDays(30);
		if (start.isAfter(end)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_date_range",
					"from " + start + " is after to " + end + "; send from <= to.");
		}
		if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_date_range",
					"The range is longer than " + MAX_DAYS + " days; ask for it in parts.");
		}
		UUID userId = this.currentUser.id(jwt);
		return this.session.read(userId, (jdbc) -> {
			List<AsOfHistory.Account> accounts = this.accounts.keyed(userId)
				.values()
				.stream()
				.map((account) -> new AsOfHistory.Account(account.key(), account.accountId(), account.name(),
						account.active()))
				.toList();
			List<AsOfHistory.Snapshot> snapshots = this.snapshots.totals(userId, start, end)
				.stream()
				.map((totals) -> new AsOfHistory.Snapshot(totals.accountKey(), totals.day(), totals.currencies(),
						totals.values()))
				.toList();
			return AsOfHistory.of(accounts, snapshots, start, end, this.properties.staleAfterDays());
		});
	}

	private static LocalDate date(String name, String value) {
		try {
			return LocalDate.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_date",
					name + " must be a date as YYYY-MM-DD, got '" + ApiException.abbreviate(value) + "'.");
		}
	}

}
