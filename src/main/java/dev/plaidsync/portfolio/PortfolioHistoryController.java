package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.plaidsync.common.UserScopedSession;
import dev.plaidsync.sync.HistoryProperties;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/portfolio/history?from=&to=}: per market day, the user's total value per currency and per account,
 * from the daily holdings history, read in the user-scoped session. Days without a snapshot are absent, not zero.
 */
@RestController
class PortfolioHistoryController {

	static final int MAX_DAYS = 1_100;

	private final CurrentUser currentUser;

	private final UserScopedSession session;

	private final HistoryProperties properties;

	PortfolioHistoryController(CurrentUser currentUser, UserScopedSession session, HistoryProperties properties) {
		this.currentUser = currentUser;
		this.session = session;
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
		List<Row> rows = this.session.read(userId, (jdbc) -> jdbc.sql("""
				SELECT h.day, a.account_id, a.name, h.total_currencies, h.total_values
				FROM holdings_history h JOIN user_investment_accounts a ON a.id = h.account_key
				WHERE h.user_id = :userId AND a.user_id = :userId AND h.day BETWEEN :from AND :to
				ORDER BY h.day, a.account_id
				""").param("userId", userId).param("from", start).param("to", end).query((rs, n) -> new Row(
						rs.getObject("day", LocalDate.class), rs.getString("account_id"), rs.getString("name"),
						(String[]) rs.getArray("total_currencies").getArray(),
						(BigDecimal[]) rs.getArray("total_values").getArray())).list());
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
