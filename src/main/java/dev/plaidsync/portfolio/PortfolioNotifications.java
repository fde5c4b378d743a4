package dev.plaidsync.portfolio;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every replica LISTENs on one dedicated PostgreSQL connection, opened with the driver directly and never borrowed
 * from the Hikari pool: a pooled connection would be returned (and its LISTEN lost) or would hold a pool slot forever.
 * Each notification names a user: that user's cached summary is evicted and their open streams on this replica get
 * {@code portfolio-updated}. When the connection fails it is reopened after a delay; since notifications sent in
 * between are lost, the whole cache is evicted and every stream told to reload.
 */
@Component
class PortfolioNotifications implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PortfolioNotifications.class);

	private static final int POLL_MILLIS = 500;

	/** A half-open TCP connection never fails a wait for notifications; a query every 30 s notices it. */
	private static final int PROBE_EVERY_POLLS = 60;

	private final DataSource dataSource;

	private final UserApiProperties properties;

	private final PortfolioCache cache;

	private final PortfolioStreams streams;

	private volatile boolean running;

	private volatile boolean listening;

	private volatile Thread thread;

	PortfolioNotifications(DataSource dataSource, UserApiProperties properties, PortfolioCache cache,
			PortfolioStreams streams) {
		this.dataSource = dataSource;
		this.properties = properties;
		this.cache = cache;
		this.streams = streams;
	}

	@Override
	public void start() {
		this.running = true;
		Thread listener = new Thread(this::listenUntilStopped, "portfolio-notifications");
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread listener = this.thread;
		if (listener != null) {
			listener.interrupt();
			try {
				listener.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Whether the dedicated connection is open and LISTENing right now. */
	boolean isListening() {
		return this.listening;
	}

	private void listenUntilStopped() {
		boolean firstConnection = true;
		while (this.running) {
			try (Connection connection = openDedicatedConnection()) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + quotedChannel());
				}
				this.listening = true;
				if (!firstConnection) {
					log.info("Listening for portfolio changes again; evicting every cached portfolio, since some "
							+ "notifications may have been missed");
					this.cache.evictAll();
					this.streams.pushToEveryone();
				}
				firstConnection = false;
				PGConnection pg = connection.unwrap(PGConnection.class);
				long polls = 0;
				while (this.running) {
					if (++polls % PROBE_EVERY_POLLS == 0) {
						try (Statement probe = connection.createStatement()) {
							probe.execute("SELECT 1");
						}
					}
					PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
					if (notifications != null) {
						for (PGNotification notification : notifications) {
							deliver(notification.getParameter());
						}
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				this.listening = false;
				if (this.running) {
					log.warn("The portfolio notification listener lost its connection ({}); reconnecting in {}",
							ex.getMessage(), this.properties.listenerReconnectDelay());
					pause();
				}
			}
		}
		this.listening = false;
	}

	private void deliver(String payload) {
		UUID userId;
		try {
			userId = UUID.fromString(payload);
		}
		catch (IllegalArgumentException ex) {
			log.debug("Ignored a portfolio notification that names no user: {}", payload);
			return;
		}
		this.cache.evict(userId);
		this.streams.push(userId);
	}

	private Connection openDedicatedConnection() throws SQLException {
		HikariDataSource hikari = this.dataSource.unwrap(HikariDataSource.class);
		Properties connectionProperties = new Properties();
		if (hikari.getUsername() != null) {
			connectionProperties.setProperty("user", hikari.getUsername());
		}
		if (hikari.getPassword() != null) {
			connectionProperties.setProperty("password", hikari.getPassword());
		}
		connectionProperties.setProperty("ApplicationName", "plaid-sync portfolio listener");
		connectionProperties.setProperty("tcpKeepAlive", "true");
		return DriverManager.getConnection(hikari.getJdbcUrl(), connectionProperties);
	}

	private String quotedChannel() {
		return "\"" + this.properties.notifyChannel().replace("\"", "\"\"") + "\"";
	}

	private void pause() {
		try {
			Thread.sleep(this.properties.listenerReconnectDelay().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

}
