package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.items.InvestmentAccounts;
import dev.plaidsync.items.InvestmentAccounts.AccountKey;
import dev.plaidsync.sync.HistoryProperties;
import dev.plaidsync.sync.HoldingsSnapshots;
import dev.plaidsync.sync.HoldingsSnapshots.DayTotals;

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
 * in one user-scoped transaction. Days without a snapshot are absent, not zero.
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
	History history(@AuthenticationPrincipal Jwt jwt, @RequestParam(name = "from", required = false) String from,
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
		List<Row> rows = this.session.read(userId, (jdbc) -> {
			Map<Long, AccountKey> accounts = this.accounts.keyed(userId);
			Map<Long, Integer> accountOrder = new HashMap<>();
			accounts.keySet().forEach((key) -> accountOrder.put(key, accountOrder.size()));
			List<DayTotals> found = new ArrayList<>(this.snapshots.totals(userId, start, end));
			found.removeIf((totals) -> !accounts.containsKey(totals.accountKey()));
			found.sort(Comparator.comparing(DayTotals::day)
				.thenComparing((totals) -> accountOrder.get(totals.accountKey())));
			return found.stream().map((totals) -> {
				AccountKey account = accounts.get(totals.accountKey());
				return new Row(totals.day(), account.accountId(), account.name(), totals.currencies(), totals.values());
			}).toList();
		});
		Map<LocalDate, Day> days = new TreeMap<>();
		for (Row row : rows) {
			String[] currencies = row.currencies();
			BigDecimal[] values = row.values();
			Day entry = days.computeIfAbsent(row.day(), (key) -> new Day());
			List<Money> accountTotals = new ArrayList<>();
			for (int i = 0; i < currencies.length; i++) {
				entry.totals.merge(currencies[i], values[i], BigDecimal::add);
				accountTotals.add(Money.of(values[i], currencies[i]));
			}
			entry.accounts.add(new AccountValue(row.accountId(), row.name(), accountTotals));
		}
		List<DayValue> dayViews = new ArrayList<>();
		days.forEach((day, entry) -> {
			List<Money> totals = new ArrayList<>();
			entry.totals.forEach((currency, value) -> totals.add(Money.of(value, currency)));
			dayViews.add(new DayValue(day.toString(), totals, entry.accounts));
		});
		return new History(start.toString(), end.toString(), dayViews);
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

	private record Row(LocalDate day, String accountId, String name, String[] currencies, BigDecimal[] values) {
	}

	private static final class Day {

		final Map<String, BigDecimal> totals = new TreeMap<>();

		final List<AccountValue> accounts = new ArrayList<>();

	}

	/** The answer: the days in {@code from}..{@code to} that have a snapshot. */
	record History(String from, String to, List<DayValue> days) {
	}

	/** A market day's total value per currency, and each account's. */
	record DayValue(String day, @JsonProperty("total_value") List<Money> totalValue, List<AccountValue> accounts) {
	}

	/** An account's value per currency on a day. */
	record AccountValue(@JsonProperty("account_id") String accountId, String name,
			@JsonProperty("total_value") List<Money> totalValue) {
	}

}
