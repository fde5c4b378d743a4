package dev.plaidsync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each table has one owner (ARCHITECTURE.md): only the owning module's SQL names it. This
 * reads every table the Flyway migrations create and every table named after FROM, JOIN,
 * INTO, UPDATE, TABLE or USING in the SQL of {@code src/main/java} (text blocks and
 * string literals), or given alone as a string literal (as to a library's
 * {@code .table(...)}), and fails when a module names a table it does not own.
 */
class TableOwnershipTests {

	private static final Map<String, String> OWNERS = Map.ofEntries(
			// items: users, Plaid Items and their accounts
			Map.entry("app_users", "items"), Map.entry("plaid_items", "items"),
			Map.entry("user_investment_accounts", "items"), Map.entry("plaid_public_token_exchanges", "items"),
			Map.entry("demo_seeding", "items"), Map.entry("item_status_history", "items"),
			// sync: the synced data, requests, failures, and the job runtime's tables
			// (Spring Batch's included)
			Map.entry("securities", "sync"), Map.entry("holdings", "sync"),
			Map.entry("investment_transactions", "sync"), Map.entry("holdings_history", "sync"),
			Map.entry("holdings_history_default", "sync"), Map.entry("history_securities", "sync"),
			Map.entry("sync_requests", "sync"), Map.entry("sync_run_requests", "sync"),
			Map.entry("sync_item_failures", "sync"), Map.entry("sync_item_retries", "sync"),
			Map.entry("job_execution_owners", "sync"), Map.entry("shedlock", "sync"),
			Map.entry("batch_job_instance", "sync"), Map.entry("batch_job_execution", "sync"),
			Map.entry("batch_job_execution_params", "sync"), Map.entry("batch_job_execution_context", "sync"),
			Map.entry("batch_step_execution", "sync"), Map.entry("batch_step_execution_context", "sync"),
			Map.entry("engine_nodes", "sync"), Map.entry("sync_watched_items", "sync"),
			// plaid: the shared rate budget
			Map.entry("plaid_rate_buckets", "plaid"),
			// webhooks: the durable event log
			Map.entry("plaid_webhook_events", "webhooks"),
			// ledger: reconciliation
			Map.entry("reconciliation_checks", "ledger"), Map.entry("reconciliation_breaks", "ledger"),
			// notifications: the per-user outbox and its delivery log
			Map.entry("notification_users", "notifications"), Map.entry("notification_events", "notifications"),
			Map.entry("notification_deliveries", "notifications"),
			// portfolio: the event stream's single-use tickets
			Map.entry("stream_tickets", "portfolio"),
			// operations: the operator audit
			Map.entry("ops_audit", "operations"),
			// common: Spring Modulith's event publication registry, resubmitted and
			// purged by EventPublications
			Map.entry("event_publication", "common"));

	private static final Pattern CREATE_TABLE = Pattern.compile(
			"CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?!IF\\b)([A-Za-z_][A-Za-z0-9_]*)",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);

	private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

	private static final Pattern NAMED_TABLE = Pattern
		.compile("\\b(?:from|join|into|update|table|using)\\s+([a-z_][a-z0-9_]*)");

	private static final Path SOURCES = Path.of("src/main/java/dev/plaidsync");

	@Test
	void everyTableTheMigrationsCreateHasAnOwner() throws IOException {
		assertThat(OWNERS.keySet()).containsAll(migrationTables());
	}

	@Test
	void onlyATablesOwnerNamesItInSql() throws IOException {
		Set<String> tables = migrationTables();
		Set<String> breaches = new TreeSet<>();
		try (Stream<Path> files = Files.walk(SOURCES)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String module = SOURCES.relativize(file).getName(0).toString();
				// the simulator keeps no table (its literals are Plaid's JSON field
				// names); root files are no module
				if (file.getNameCount() - SOURCES.getNameCount() < 2 || module.equals("simulator")) {
					continue;
				}
				for (String table : namedTables(Files.readString(file))) {
					if (tables.contains(table) && !module.equals(OWNERS.get(table))) {
						breaches.add(module + ":" + table);
					}
				}
			}
		}
		assertThat(breaches)
			.as("modules naming in SQL a table they do not own (module:table); read it through "
					+ "a query type the owner exports instead")
			.isEmpty();
	}

	private static Set<String> migrationTables() throws IOException {
		Set<String> tables = new TreeSet<>();
		try (Stream<Path> files = Files.list(Path.of("sql/migration"))) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".sql")).toList()) {
				Matcher matcher = CREATE_TABLE.matcher(Files.readString(file));
				while (matcher.find()) {
					tables.add(matcher.group(1).toLowerCase());
				}
			}
		}
		return tables;
	}

	private static Set<String> namedTables(String source) {
		StringBuilder sql = new StringBuilder();
		Matcher blocks = TEXT_BLOCK.matcher(source);
		while (blocks.find()) {
			sql.append(blocks.group(1)).append('\n');
		}
		Matcher literals = STRING_LITERAL.matcher(TEXT_BLOCK.matcher(source).replaceAll(""));
		Set<String> named = new TreeSet<>();
		while (literals.find()) {
			sql.append(literals.group(1)).append('\n');
			// a literal that is just a name, as in a lock or rate-limit library's
			// .table("..."); one-word names
			// ("holdings", "securities") are JSON keys and product names far more often
			// than tables
			if (literals.group(1).contains("_")) {
				named.add(literals.group(1).toLowerCase());
			}
		}
		Matcher matcher = NAMED_TABLE.matcher(sql.toString().toLowerCase());
		while (matcher.find()) {
			named.add(matcher.group(1));
		}
		return named;
	}

}
