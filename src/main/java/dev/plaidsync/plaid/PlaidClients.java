package dev.plaidsync.plaid;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.plaid.client.ApiClient;
import com.plaid.client.request.PlaidApi;
import okhttp3.ConnectionPool;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * The plaid-java clients, built on first use: in simulator mode the base URL includes the
 * engine's own port, which is known only once the web server is up. One client per
 * timeout profile.
 */
class PlaidClients {

	static final String SIMULATOR_BASE_PATH = "/simulator/plaid/";

	private final PlaidProperties properties;

	private final Environment environment;

	private final SingletonSupplier<PlaidApi> standard;

	private final SingletonSupplier<PlaidApi> transactions;

	private final SingletonSupplier<PlaidApi> quick;

	PlaidClients(PlaidProperties properties, Environment environment) {
		this.properties = properties;
		this.environment = environment;
		PlaidProperties.Timeouts timeouts = properties.timeouts();
		this.standard = lazily(timeouts.connect(), timeouts.read());
		this.transactions = lazily(timeouts.connect(), timeouts.transactionsRead());
		this.quick = lazily(Duration.ofSeconds(2), Duration.ofSeconds(3));
	}

	PlaidApi standard() {
		return this.standard.obtain();
	}

	/**
	 * For /investments/transactions/get, whose first call after Link can block for
	 * minutes.
	 */
	PlaidApi transactions() {
		return this.transactions.obtain();
	}

	/**
	 * For calls a waiting HTTP request depends on, such as fetching a webhook
	 * verification key.
	 */
	PlaidApi quick() {
		return this.quick.obtain();
	}

	String baseUrl() {
		if (StringUtils.hasText(this.properties.baseUrl())) {
			return this.properties.baseUrl();
		}
		return switch (this.properties.env()) {
			case "sandbox" -> ApiClient.Sandbox;
			case "production" -> ApiClient.Production;
			default -> localUrl(SIMULATOR_BASE_PATH);
		};
	}

	String webhookUrl() {
		if (StringUtils.hasText(this.properties.webhookUrl())) {
			return this.properties.webhookUrl();
		}
		return localUrl("/webhook/plaid");
	}

	private String localUrl(String path) {
		String port = this.environment.getProperty("local.server.port");
		if (port == null) {
			throw new IllegalStateException(
					"The simulator is served by this engine's web server, which is not running");
		}
		return "http://localhost:" + port + path;
	}

	private SingletonSupplier<PlaidApi> lazily(Duration connect, Duration read) {
		Supplier<PlaidApi> factory = () -> {
			ApiClient client = new ApiClient(
					Map.of("clientId", credential(this.properties.clientId(), "simulator-client"), "secret",
							credential(this.properties.secret(), "simulator-secret"), "plaidVersion", "2020-09-14"));
			client.getOkBuilder()
				.connectTimeout(connect.toMillis(), TimeUnit.MILLISECONDS)
				.readTimeout(read.toMillis(), TimeUnit.MILLISECONDS)
				.connectionPool(new ConnectionPool(128, 5, TimeUnit.MINUTES));
			client.setPlaidAdapter(baseUrl());
			return client.createService(PlaidApi.class);
		};
		return SingletonSupplier.of(factory);
	}

	private static String credential(String configured, String simulatorDefault) {
		return StringUtils.hasText(configured) ? configured : simulatorDefault;
	}

}
