package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

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
 * {@code GET /api/portfolio/history?from=&to=}: per market day, the user's total value per currency and per account,
 * from the daily holdings history ({@link HoldingsSnapshots}) and the accounts' names ({@link InvestmentAccounts}), read
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
	Map<String, Object> history(@AuthenticationPrincipal Jwt jwt, @RequestParam(name = "from", required = false) String from,
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
			found.sort(Comparator.comparing(DayTotals::day).thenComparing((totals) -> accountOrder.get(totals.accountKey())));
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
			List<Map<String, Object>> accountTotals = new ArrayList<>();
			for (int i = 0; i < currencies.length; i++) {
				entry.totals.merge(currencies[i], values[i], BigDecimal::add);
				accountTotals.add(PortfolioSummaries.money(values[i], currencies[i]));
			}
			Map<String, Object> account = new LinkedHashMap<>();
			account.put("account_id", row.accountId());
			account.put("name", row.name());
			account.put("total_value", accountTotals);
			entry.accounts.add(account);
		}
		List<Map<String, Object>> dayViews = new ArrayList<>();
		days.forEach((day, entry) -> {
			Map<String, Object> view = new LinkedHashMap<>();
			view.put("day", day.toString());
			List<Map<String, Object>> totals = new ArrayList<>();
			entry.totals.forEach((currency, value) -> totals.add(PortfolioSummaries.money(value, currency)));
			view.put("total_value", totals);
			view.put("accounts", entry.accounts);
			dayViews.add(view);
		});
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("from", start.toString());
		answer.put("to", end.toString());
		answer.put("days", dayViews);
		return answer;
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

		final List<Map<String, Object>> accounts = new ArrayList<>();

	}

}
