package dev.plaidsync.portfolio;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A history with as-of semantics: on every day of the range, each account shows its
 * latest snapshot on or before that day, carried forward with that snapshot's day as its
 * {@code as_of}, and marked {@code stale} once that day is more than
 * {@code staleAfterDays} before the day shown. An active account is carried forward to
 * the end of the range; an inactive one (Plaid no longer reports it) to its last snapshot
 * only. A day's total is the sum of what its accounts show, so a failed fetch (no new
 * snapshot) never lowers it, and a snapshot that arrives late for a past day replaces
 * what was carried into that day. Days before any account's first snapshot are left out.
 */
final class AsOfHistory {

	private AsOfHistory() {
	}

	/** An account in the order it is shown. */
	record Account(long key, String accountId, String name, boolean active) {
	}

	/** One stored snapshot's total per currency (parallel arrays). */
	record Snapshot(long accountKey, LocalDate day, String[] currencies, BigDecimal[] values) {
	}

	/**
	 * @param snapshots every snapshot of the accounts in the range, and each account's
	 * latest before it; those of other accounts are ignored
	 */
	static History of(List<Account> accounts, List<Snapshot> snapshots, LocalDate from, LocalDate to,
			int staleAfterDays) {
		Map<Long, TreeMap<LocalDate, Snapshot>> byAccount = new TreeMap<>();
		accounts.forEach((account) -> byAccount.put(account.key(), new TreeMap<>()));
		for (Snapshot snapshot : snapshots) {
			TreeMap<LocalDate, Snapshot> days = byAccount.get(snapshot.accountKey());
			if (days != null) {
				days.put(snapshot.day(), snapshot);
			}
		}
		List<DayValue> dayViews = new ArrayList<>();
		for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
			Map<String, BigDecimal> totals = new TreeMap<>();
			List<AccountValue> accountViews = new ArrayList<>();
			boolean stale = false;
			for (Account account : accounts) {
				TreeMap<LocalDate, Snapshot> days = byAccount.get(account.key());
				Map.Entry<LocalDate, Snapshot> latest = days.floorEntry(day);
				if (latest == null || (!account.active() && day.isAfter(days.lastKey()))) {
					continue;
				}
				Snapshot snapshot = latest.getValue();
				boolean accountStale = ChronoUnit.DAYS.between(snapshot.day(), day) > staleAfterDays;
				stale |= accountStale;
				List<Money> values = new ArrayList<>();
				for (int i = 0; i < snapshot.currencies().length; i++) {
					totals.merge(snapshot.currencies()[i], snapshot.values()[i], BigDecimal::add);
					values.add(Money.of(snapshot.values()[i], snapshot.currencies()[i]));
				}
				accountViews.add(new AccountValue(account.accountId(), account.name(), values,
						snapshot.day().toString(), accountStale));
			}
			if (accountViews.isEmpty()) {
				continue;
			}
			List<Money> totalViews = new ArrayList<>();
			totals.forEach((currency, value) -> totalViews.add(Money.of(value, currency)));
			dayViews.add(new DayValue(day.toString(), totalViews, stale, accountViews));
		}
		return new History(from.toString(), to.toString(), staleAfterDays, dayViews);
	}

	/**
	 * The answer: every day in {@code from}..{@code to} on which some account has a
	 * value.
	 */
	record History(String from, String to, @JsonProperty("stale_after_days") int staleAfterDays, List<DayValue> days) {
	}

	/**
	 * A day's total value per currency and each account's; {@code stale} when some
	 * account's value is stale.
	 */
	record DayValue(String day, @JsonProperty("total_value") List<Money> totalValue, boolean stale,
			List<AccountValue> accounts) {
	}

	/** An account's value per currency on a day, from its snapshot of {@code as_of}. */
	record AccountValue(@JsonProperty("account_id") String accountId, String name,
			@JsonProperty("total_value") List<Money> totalValue, @JsonProperty("as_of") String asOf, boolean stale) {
	}

}
