package dev.plaidsync.plaid;

import javax.sql.DataSource;

import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import dev.plaidsync.common.StartupConfigurationException;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.util.StringUtils;

@Configuration(proxyBeanMethods = false)
class PlaidConfiguration {

	@Bean
	DatabaseClock plaidBudgetClock(DataSource dataSource, PlaidProperties properties, MeterRegistry meters) {
		return new DatabaseClock(dataSource, properties.budget().clockCalibration(), meters);
	}

	@Bean
	PlaidGateway plaidGateway(PlaidProperties properties, Environment environment, DataSource dataSource,
			MeterRegistry meters, JsonMapper json, DatabaseClock plaidBudgetClock) {
		return gateway(properties, environment, dataSource, meters, json, plaidBudgetClock);
	}

	/**
	 * A gateway of its own, for tests that need one with other properties; it shares
	 * nothing but the database.
	 */
	PlaidGateway plaidGateway(PlaidProperties properties, Environment environment, DataSource dataSource,
			MeterRegistry meters, JsonMapper json) {
		return gateway(properties, environment, dataSource, meters, json,
				new DatabaseClock(dataSource, properties.budget().clockCalibration(), meters));
	}

	private static PlaidGateway gateway(PlaidProperties properties, Environment environment, DataSource dataSource,
			MeterRegistry meters, JsonMapper json, DatabaseClock clock) {
		requireCredentials(properties);
		RequestBudget budget = new RequestBudget(Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("plaid_rate_buckets")
			.clientClock(clock)
			.build(), clock, properties.budget(), meters);
		return new PlaidGateway(new PlaidClients(properties, environment), budget, retryTemplate(properties.retry()),
				properties, meters, json);
	}

	private static RetryTemplate retryTemplate(PlaidProperties.Retry retry) {
		return new RetryTemplate(RetryPolicy.builder()
			.maxRetries(retry.maxRetries())
			.delay(retry.initialDelay())
			.multiplier(retry.multiplier())
			.jitter(retry.jitter())
			.maxDelay(retry.maxDelay())
			.timeout(retry.maxElapsed())
			.predicate((failure) -> failure instanceof PlaidFailure plaidFailure && plaidFailure.retryable())
			.build());
	}

	private static void requireCredentials(PlaidProperties properties) {
		if ("simulator".equals(properties.env())) {
			return;
		}
		if (!StringUtils.hasText(properties.clientId()) || !StringUtils.hasText(properties.secret())) {
			throw new StartupConfigurationException(
					"PLAID_ENV=" + properties.env()
							+ " needs Plaid credentials, and PLAID_CLIENT_ID or PLAID_SECRET is not set.",
					"Set PLAID_CLIENT_ID and PLAID_SECRET from the Plaid dashboard (Team Settings > Keys), "
							+ "or set PLAID_ENV=simulator to run against the built-in simulator.");
		}
		if (!StringUtils.hasText(properties.webhookUrl())) {
			throw new StartupConfigurationException("PLAID_ENV=" + properties.env() + " needs PLAID_WEBHOOK_URL.",
					"Set PLAID_WEBHOOK_URL to the public HTTPS URL of this engine's POST /webhook/plaid, "
							+ "which Link and /item/webhook/update give to Plaid.");
		}
	}

}
