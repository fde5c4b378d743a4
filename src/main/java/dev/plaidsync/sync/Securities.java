package dev.plaidsync.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The securities the sync stored (shared by every user: not row-level secured), read.
 * Read-only and thread-safe.
 */
@Component
public class Securities {

	private final JdbcClient jdbc;

	Securities(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** How a security is named. */
	public record SecurityName(String tickerSymbol, String name) {
	}

	/** Those of these securities whose type is {@code cash}. */
	public Set<String> cash(Collection<String> securityIds) {
		return new HashSet<>(this.jdbc.sql("""
				SELECT security_id FROM securities WHERE security_id = ANY (:ids) AND type = 'cash'
				""").param("ids", securityIds.toArray(String[]::new)).query(String.class).list());
	}

	/** The type of each of these securities that is stored and has one. */
	public Map<String, String> types(Collection<String> securityIds) {
		Map<String, String> types = new HashMap<>();
		this.jdbc.sql("SELECT security_id, type FROM securities WHERE security_id = ANY (:ids) AND type IS NOT NULL")
			.param("ids", securityIds.toArray(String[]::new))
			.query((row) -> {
				types.put(row.getString(1), row.getString(2));
			});
		return types;
	}

	/** The ticker and name of each of these securities that is stored. */
	public Map<String, SecurityName> names(Collection<String> securityIds) {
		Map<String, SecurityName> names = new HashMap<>();
		this.jdbc.sql("SELECT security_id, ticker_symbol, name FROM securities WHERE security_id = ANY (:ids)")
			.param("ids", securityIds.toArray(String[]::new))
			.query((row) -> {
				names.put(row.getString(1), new SecurityName(row.getString(2), row.getString(3)));
			});
		return names;
	}

}
