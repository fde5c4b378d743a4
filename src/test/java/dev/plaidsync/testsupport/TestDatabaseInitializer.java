package dev.plaidsync.testsupport;

import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives each new application context its own freshly migrated database on the shared test
 * server. Contexts that Spring caches keep theirs.
 */
public class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("spring.datasource.url", TestDatabase.newMigratedDatabaseUrl());
		properties.put("spring.datasource.username", TestDatabase.username());
		properties.put("spring.datasource.password", "");
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("testDatabase", properties));
		TestDatabase.closeBeforeServerStops(context);
	}

}
