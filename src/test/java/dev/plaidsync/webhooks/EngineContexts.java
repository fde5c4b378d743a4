package dev.plaidsync.webhooks;

import java.util.ArrayList;
import java.util.List;

import dev.plaidsync.PlaidSyncApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * More engines in this JVM, each with its own web server, on a database the test chooses.
 */
final class EngineContexts {

	private EngineContexts() {
	}

	static ConfigurableApplicationContext start(String jdbcUrl, String... extraProperties) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + jdbcUrl,
				"--spring.datasource.username=postgres", "--spring.datasource.password="));
		for (String property : extraProperties) {
			arguments.add("--" + property);
		}
		return new SpringApplicationBuilder(PlaidSyncApplication.class).profiles("test")
			.run(arguments.toArray(String[]::new));
	}

	static String baseUrl(ConfigurableApplicationContext context) {
		return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
	}

}
