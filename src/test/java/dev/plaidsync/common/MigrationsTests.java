package dev.plaidsync.common;

import java.util.List;

import dev.plaidsync.testsupport.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationsTests {

	@Test
	void migrationsApplyOnAnEmptyDatabaseAndASecondRunAppliesNothing() {
		String url = TestDatabase.newEmptyDatabaseUrl();
		Flyway flyway = Flyway.configure()
			.dataSource(url, TestDatabase.username(), "")
			.locations("classpath:sql/migration")
			.load();

		MigrateResult first = flyway.migrate();
		MigrateResult second = flyway.migrate();

		assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(4);
		assertThat(first.success).isTrue();
		assertThat(second.migrationsExecuted).isZero();
		List<String> tables = JdbcClient.create(new DriverManagerDataSource(url, TestDatabase.username(), ""))
			.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
			.query(String.class)
			.list();
		assertThat(tables).contains("app_users", "plaid_items", "user_investment_accounts", "securities", "holdings",
				"investment_transactions", "plaid_webhook_events", "sync_requests", "shedlock", "batch_job_instance",
				"batch_job_execution", "batch_step_execution_context");
	}

}
