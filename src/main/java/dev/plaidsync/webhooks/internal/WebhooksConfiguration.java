package dev.plaidsync.webhooks.internal;

import java.sql.SQLException;
import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;

import dev.plaidsync.common.ProblemResponses;
import tools.jackson.databind.json.JsonMapper;
import dev.plaidsync.plaid.PlaidGateway;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

	@Bean
	WebhookVerifier webhookVerifier(PlaidGateway plaid, WebhookProperties properties) {
		Clock clock = Clock.systemUTC();
		VerificationKeys keys = new VerificationKeys(plaid, properties.keyCacheTtl(),
				properties.unknownKeyFetchesPerMinute(), clock);
		return new WebhookVerifier(keys, properties.maxTokenAge(), properties.maxClockSkew(), clock);
	}

	/**
	 * After the security chain, so that the body is read only for requests it lets
	 * through.
	 */
	@Bean
	FilterRegistrationBean<WebhookBodyReader> webhookBodyReader(WebhookProperties properties, JsonMapper json) {
		int maxBodySize = (int) Math.min(Integer.MAX_VALUE - 1, properties.maxBodySize().toBytes());
		FilterRegistrationBean<WebhookBodyReader> registration = new FilterRegistrationBean<>(new WebhookBodyReader(
				properties.bodyTimeout(), maxBodySize, properties.maxRequestsPerAddress(), new ProblemResponses(json)));
		registration.addUrlPatterns("/webhook/*");
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		registration.setAsyncSupported(true);
		registration.setOrder(0);
		return registration;
	}

	/**
	 * A small pool of its own, built from the main pool's URL and credentials (the
	 * embedded database's or Boot's), so that intake waits at most
	 * {@code intake.connection-timeout} for a connection and never queues behind jobs. It
	 * is not a DataSource bean: Boot's own DataSource stays the application's only one.
	 */
	@Bean(destroyMethod = "close")
	IntakeStore intakeStore(DataSource dataSource, WebhookProperties properties, MeterRegistry meters) {
		HikariDataSource main = hikari(dataSource);
		WebhookProperties.Intake intake = properties.intake();
		HikariConfig config = new HikariConfig();
		config.setPoolName("webhook-intake");
		if (main.getDataSourceClassName() != null) {
			config.setDataSourceClassName(main.getDataSourceClassName());
		}
		else {
			config.setJdbcUrl(main.getJdbcUrl());
		}
		if (main.getDriverClassName() != null) {
			config.setDriverClassName(main.getDriverClassName());
		}
		config.setUsername(main.getUsername());
		config.setPassword(main.getPassword());
		config.setDataSourceProperties(main.getDataSourceProperties());
		config.setConnectionInitSql(main.getConnectionInitSql());
		config.setSchema(main.getSchema());
		config.addDataSourceProperty("connectTimeout", "2");
		config.addDataSourceProperty("loginTimeout", "2");
		config.addDataSourceProperty("socketTimeout", String.valueOf(intake.socketTimeoutSeconds()));
		config.setMaximumPoolSize(intake.poolSize());
		config.setMinimumIdle(Math.min(2, intake.poolSize()));
		config.setConnectionTimeout(intake.connectionTimeout().toMillis());
		config.setValidationTimeout(Math.max(250, Math.min(1000, intake.connectionTimeout().toMillis() - 250)));
		config.setInitializationFailTimeout(-1);
		config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
		return new IntakeStore(new HikariDataSource(config),
				intake.connectionTimeout().plusSeconds(intake.socketTimeoutSeconds()));
	}

	private static HikariDataSource hikari(DataSource dataSource) {
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				return dataSource.unwrap(HikariDataSource.class);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot read the datasource's settings for the webhook intake pool", ex);
		}
		throw new IllegalStateException("Webhook intake builds its own small pool from the main one, which must be "
				+ "HikariCP (Spring Boot's default); the datasource is a " + dataSource.getClass().getName());
	}

}
