package dev.plaidsync.sync.jobs;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import dev.plaidsync.sync.runtime.StorableText;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes {@code holdings}, in the chunk's transaction: an account's holdings are replaced
 * as a set.
 */
@Component
class HoldingsTable {

	private final JdbcTemplate jdbc;

	private final JdbcClient client;

	private final StorableText text;

	HoldingsTable(JdbcTemplate jdbc, JdbcClient client, StorableText text) {
		this.jdbc = jdbc;
		this.client = client;
		this.text = text;
	}

	/** How many holdings rows the account has stored. */
	int count(String accountId) {
		return this.client.sql("SELECT count(*) FROM holdings WHERE account_id = :accountId")
			.param("accountId", accountId)
			.query(Integer.class)
			.single();
	}

	/** Deletes the accounts' holdings, to be replaced by {@link #copy}. */
	void delete(Collection<String> accountIds) {
		this.client.sql("DELETE FROM holdings WHERE account_id = ANY (:accounts)")
			.param("accounts", accountIds.toArray(String[]::new))
			.update();
	}

	/** One row of {@code holdings}, as {@link #copy} stores it. */
	public record HoldingRow(String accountId, String itemId, UUID userId, String securityId, BigDecimal quantity,
			BigDecimal institutionPrice, LocalDate institutionPriceAsOf,
			@Nullable OffsetDateTime institutionPriceDatetime, BigDecimal institutionValue, BigDecimal costBasis,
			String isoCurrencyCode, String unofficialCurrencyCode, BigDecimal vestedQuantity, BigDecimal vestedValue,
			Instant syncedAt) {
	}

	/**
	 * Inserts holdings rows with one COPY: no statement to parse and plan per batch, and
	 * no parameters to bind, for the hundreds of rows a chunk brings. Text is made
	 * storable first (see {@link StorableText}); a row the database refuses fails the
	 * COPY with the database's SQLSTATE, translated as any statement's would be, so the
	 * chunk is rolled back and scanned item by item exactly as a refused INSERT would
	 * make it.
	 */
	void copy(List<HoldingRow> rows) {
		if (rows.isEmpty()) {
			return;
		}
		StringBuilder data = new StringBuilder(rows.size() * 256);
		for (HoldingRow row : rows) {
			copyText(data, row.accountId()).append('\t');
			copyText(data, row.itemId()).append('\t');
			copyValue(data, row.userId()).append('\t');
			copyText(data, row.securityId()).append('\t');
			copyValue(data, row.quantity()).append('\t');
			copyValue(data, row.institutionPrice()).append('\t');
			copyValue(data, row.institutionPriceAsOf()).append('\t');
			copyValue(data, row.institutionPriceDatetime()).append('\t');
			copyValue(data, row.institutionValue()).append('\t');
			copyValue(data, row.costBasis()).append('\t');
			copyText(data, row.isoCurrencyCode()).append('\t');
			copyText(data, row.unofficialCurrencyCode()).append('\t');
			copyValue(data, row.vestedQuantity()).append('\t');
			copyValue(data, row.vestedValue()).append('\t');
			copyValue(data, row.syncedAt()).append('\n');
		}
		String copy = """
				COPY holdings (account_id, item_id, user_id, security_id, quantity, institution_price,
				    institution_price_as_of, institution_price_datetime, institution_value, cost_basis, iso_currency_code, unofficial_currency_code,
				    vested_quantity, vested_value, synced_at) FROM STDIN""";
		this.jdbc.execute((ConnectionCallback<Long>) (connection) -> {
			try {
				return connection.unwrap(PGConnection.class)
					.getCopyAPI()
					.copyIn(copy, new StringReader(data.toString()));
			}
			catch (IOException ex) {
				throw new SQLException("COPY into holdings could not be sent: " + ex.getMessage(), "08006", ex);
			}
		});
	}

	/**
	 * A text value in COPY's text format: NULL as {@code \N}; backslash, tab, newline and
	 * carriage return escaped.
	 */
	private StringBuilder copyText(StringBuilder data, @Nullable String value) {
		if (value == null) {
			return data.append("\\N");
		}
		String text = this.text.of(value);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\\' -> data.append("\\\\");
				case '\t' -> data.append("\\t");
				case '\n' -> data.append("\\n");
				case '\r' -> data.append("\\r");
				default -> data.append(c);
			}
		}
		return data;
	}

	/**
	 * A number, date, instant or UUID in COPY's text format (ISO 8601 for the dates),
	 * NULL as {@code \N}.
	 */
	private static StringBuilder copyValue(StringBuilder data, @Nullable Object value) {
		if (value == null) {
			return data.append("\\N");
		}
		return data.append((value instanceof BigDecimal decimal) ? decimal.toPlainString() : value.toString());
	}

}
