package dev.plaidsync.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plaidsync.common.PageRequest;
import dev.plaidsync.sync.Securities;
import dev.plaidsync.sync.Securities.SecurityName;
import dev.plaidsync.sync.SyncedAccounts;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /ops/reconciliation}: the accounts whose daily snapshots disagree with their
 * transactions, newest detection first, each with its securities and amounts; one page of
 * accounts ({@code page}, {@code size} or its older name {@code limit}), their total in
 * {@code accounts_with_breaks} and {@code X-Total-Count}. Behind the operator token like
 * every {@code /ops} path.
 */
@RestController
class ReconciliationController {

	private final JdbcClient jdbc;

	private final SyncedAccounts synced;

	private final Securities securities;

	ReconciliationController(JdbcClient jdbc, SyncedAccounts synced, Securities securities) {
		this.jdbc = jdbc;
		this.synced = synced;
		this.securities = securities;
	}

	@GetMapping("/ops/reconciliation")
	ResponseEntity<Breaks> breaks(@RequestParam(defaultValue = "0") int page,
			@RequestParam(required = false) Integer size, @RequestParam(required = false) Integer limit) {
		PageRequest request = PageRequest.of(page, (size != null) ? size : (limit != null) ? limit : 100);
		List<Map<String, Object>> rows = this.jdbc.sql("""
				WITH accounts AS (
				    SELECT account_id, max(detected_at) AS last_detected FROM reconciliation_breaks
				    GROUP BY account_id ORDER BY max(detected_at) DESC, account_id LIMIT :limit OFFSET :offset
				)
				SELECT b.account_id, b.item_id, b.user_id, c.checked_at, b.security_id, b.from_day, b.to_day,
				       b.holdings_change, b.transactions_quantity, b.difference, b.detected_at, x.last_detected,
				       b.kind, b.alerts_from, (b.kind = 'break' AND b.alerts_from <= current_date) AS alerting
				FROM accounts x
				JOIN reconciliation_breaks b ON b.account_id = x.account_id
				LEFT JOIN reconciliation_checks c ON c.account_id = b.account_id
				ORDER BY x.last_detected DESC, b.account_id, b.to_day DESC, b.security_id
				""").param("limit", request.size()).param("offset", request.offset()).query().listOfRows();
		Map<String, String> accountNames = this.synced
			.accountNames(rows.stream().map((row) -> (String) row.get("account_id")).distinct().toList());
		Map<String, String> institutionNames = this.synced
			.institutionNames(rows.stream().map((row) -> (String) row.get("item_id")).distinct().toList());
		Map<String, SecurityName> securityNames = this.securities
			.names(rows.stream().map((row) -> (String) row.get("security_id")).distinct().toList());
		Map<String, AccountBreaks> accounts = new LinkedHashMap<>();
		for (Map<String, Object> row : rows) {
			// the breaks of an account or item no longer stored are not shown (they go
			// with it)
			if (!accountNames.containsKey(row.get("account_id")) || !institutionNames.containsKey(row.get("item_id"))) {
				continue;
			}
			SecurityName security = securityNames.getOrDefault(row.get("security_id"), new SecurityName(null, null));
			AccountBreaks account = accounts.computeIfAbsent((String) row.get("account_id"),
					(id) -> new AccountBreaks(id, accountNames.get(id), (String) row.get("item_id"),
							String.valueOf(row.get("user_id")), institutionNames.get(row.get("item_id")),
							text(row.get("checked_at")), new ArrayList<>()));
			account.securities()
				.add(new SecurityBreak((String) row.get("security_id"), security.tickerSymbol(), security.name(),
						text(row.get("from_day")), text(row.get("to_day")), text(row.get("holdings_change")),
						text(row.get("transactions_quantity")), text(row.get("difference")),
						text(row.get("detected_at")), (String) row.get("kind"), text(row.get("alerts_from")),
						Boolean.TRUE.equals(row.get("alerting"))));
		}
		long total = this.jdbc.sql("SELECT count(DISTINCT account_id) FROM reconciliation_breaks")
			.query(Long.class)
			.single();
		Breaks answer = new Breaks(total, request.page(), request.size(), new ArrayList<>(accounts.values()));
		return ResponseEntity.ok()
			.header("X-Total-Count", String.valueOf(total))
			.header("X-Total-Count-Exact", "true")
			.body(answer);
	}

	private static String text(Object value) {
		if (value instanceof java.sql.Timestamp timestamp) {
			return timestamp.toInstant().toString();
		}
		if (value instanceof java.math.BigDecimal decimal) {
			return decimal.toPlainString();
		}
		return (value != null) ? value.toString() : null;
	}

	/** One page of the accounts with breaks, those with the newest breaks first. */
	record Breaks(@JsonProperty("accounts_with_breaks") long accountsWithBreaks, int page, int size,
			List<AccountBreaks> accounts) {
	}

	/** An account's breaks, newest day first, and when the account was last checked. */
	record AccountBreaks(@JsonProperty("account_id") String accountId, @JsonProperty("account_name") String accountName,
			@JsonProperty("item_id") String itemId, @JsonProperty("user_id") String userId,
			@JsonProperty("institution_name") String institutionName, @JsonProperty("checked_at") String checkedAt,
			List<SecurityBreak> securities) {
	}

	/**
	 * Over {@code from_day}..{@code to_day} the holdings of a security changed by
	 * {@code holdings_change} while its transactions add up to
	 * {@code transactions_quantity}. {@code kind} is {@code timing_difference} for one of
	 * two opposite breaks that net to zero within the settlement window (never alerted),
	 * else {@code break}, which is {@code alerting} from {@code alerts_from} on.
	 */
	record SecurityBreak(@JsonProperty("security_id") String securityId, String ticker, String name,
			@JsonProperty("from_day") String fromDay, @JsonProperty("to_day") String toDay,
			@JsonProperty("holdings_change") String holdingsChange,
			@JsonProperty("transactions_quantity") String transactionsQuantity, String difference,
			@JsonProperty("detected_at") String detectedAt, String kind, @JsonProperty("alerts_from") String alertsFrom,
			boolean alerting) {
	}

	/** A page or size no list has: a 400 that says which and what is allowed. */

}
