package dev.plaidsync.common;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

@Configuration(proxyBeanMethods = false)
class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	@Bean
	static BeanFactoryPostProcessor databaseIsConfigured(Environment environment) {
		return (beanFactory) -> DeploymentMode.requireDatabase(environment);
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(EmbeddedDatabaseCondition.class)
	static class EmbeddedDatabase {

		@Bean(destroyMethod = "close")
		EmbeddedPostgresServer embeddedPostgresServer(DataDirectory dataDirectory,
				ObjectProvider<EmbeddedPostgresEarlyStart.Starting> earlyStart) {
			EmbeddedPostgresEarlyStart.Starting starting = earlyStart.getIfAvailable();
			EmbeddedPostgresServer server;
			if (starting != null && starting.directory().equals(dataDirectory.postgresDirectory())) {
				server = starting.adopt();
			}
			else {
				if (starting != null) {
					starting.closeUnlessAdopted();
				}
				server = EmbeddedPostgresServer.start(dataDirectory.postgresDirectory());
			}
			log.info("Embedded PostgreSQL is up at {} (user postgres, data in {})", server.jdbcUrl("postgres"),
					server.dataDirectory());
			return server;
		}

		@Bean
		@ConfigurationProperties("spring.datasource.hikari")
		HikariDataSource dataSource(EmbeddedPostgresServer server) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(server.jdbcUrl("postgres"));
			dataSource.setUsername("postgres");
			dataSource.setPoolName("embedded");
			return dataSource;
		}

	}

	static class EmbeddedDatabaseCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return DeploymentMode.usesEmbeddedDatabase(context.getEnvironment())
					? ConditionOutcome.match("no datasource URL, and the embedded database is allowed")
					: ConditionOutcome.noMatch("a datasource URL is set, or the embedded database is not allowed");
		}

	}

}
