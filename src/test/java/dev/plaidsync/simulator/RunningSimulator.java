package dev.plaidsync.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;

import dev.plaidsync.testsupport.SimulatorControl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

final class RunningSimulator implements AutoCloseable {

	static final List<String> TEST_ARGS = List.of("--server.port=0", "--plaidsync.simulator.latency=0ms",
			"--plaidsync.simulator.latency-jitter=0ms", "--plaidsync.simulator.first-transactions-latency=300ms",
			"--plaidsync.simulator.refresh-webhook-delay=100ms", "--plaidsync.simulator.webhook-retry-scale=0.001",
			"--plaidsync.simulator.seed=7", "--spring.main.banner-mode=off", "--logging.level.root=WARN");

	private static RunningSimulator shared;

	private final ConfigurableApplicationContext context;

	private final String baseUrl;

	private final HttpClient http = HttpClient.newHttpClient();

	record Answer(int status, JsonNode body, String raw) {
	}

	private RunningSimulator(ConfigurableApplicationContext context) {
		this.context = context;
		this.baseUrl = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
	}

	static synchronized RunningSimulator shared() {
		if (shared == null) {
			shared = start("--plaidsync.simulator.rate-limits-enabled=false");
			Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
		}
		return shared;
	}

	static RunningSimulator start(String... extraArgs) {
		List<String> args = new ArrayList<>(TEST_ARGS);
		args.addAll(List.of(extraArgs));
		return new RunningSimulator(SimulatorServer.start(args.toArray(String[]::new)));
	}

	String baseUrl() {
		return baseUrl;
	}

	String plaidUrl() {
		return baseUrl + "/simulator/plaid";
	}

	PlaidSimulator simulator() {
		return context.getBean(PlaidSimulator.class);
	}

	ConfigurableApplicationContext context() {
		return context;
	}

	SimulatorControl control() {
		return new SimulatorControl(baseUrl);
	}

	Answer plaid(String path, Map<String, ?> body) {
		Map<String, Object> withKeys = new LinkedHashMap<>(body);
		withKeys.putIfAbsent("client_id", "test-client");
		withKeys.putIfAbsent("secret", "test-secret");
		return post(plaidUrl() + path, withKeys);
	}

	Answer plaidWithoutKeys(String path, Map<String, ?> body) {
		return post(plaidUrl() + path, body);
	}

	Answer post(String url, Map<String, ?> body) {
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(JsonMapper.shared().writeValueAsString(body)))
				.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), JsonMapper.shared().readTree(response.body()), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		context.close();
	}

}
