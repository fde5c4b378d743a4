package dev.plaidsync.common;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every replica LISTENs on one dedicated PostgreSQL connection, opened with the driver
 * directly and never borrowed from the Hikari pool: a pooled connection would be returned
 * (and its LISTEN lost) or would hold a pool slot forever. Each {@link Subscriber} bean
 * names its channel and hears that channel's payloads on the listener thread. When the
 * connection fails it is reopened after a delay; since notifications sent in between are
 * lost, every subscriber is told {@link Subscriber#reconnected()} so it can catch up from
 * the database.
 */
@Component
public class DatabaseNotifications implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DatabaseNotifications.class);

	private static final int POLL_MILLIS = 500;

	/**
	 * A half-open TCP connection never fails a wait for notifications; a query every 30 s
	 * notices it.
	 */
	private static final int PROBE_EVERY_POLLS = 60;

	private static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);

	/** What hears one channel. Calls come on the listener thread: keep them short. */
	public interface Subscriber {

		String channel();

		void notified(String payload);

		/**
		 * The connection was reopened after a failure: notifications may have been
		 * missed.
		 */
		void reconnected();

	}

	private final DataSource dataSource;

	private final ObjectProvider<Subscriber> subscribers;

	private volatile List<Subscriber> active = List.of();

	private volatile boolean running;

	private volatile boolean listening;

	private volatile Thread thread;

	DatabaseNotifications(DataSource dataSource, ObjectProvider<Subscriber> subscribers) {
		this.dataSource = dataSource;
		this.subscribers = subscribers;
	}

	@Override
	public void start() {
		this.active = this.subscribers.orderedStream().toList();
		this.running = true;
		Thread listener = new Thread(this::listenUntilStopped, "database-notifications");
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
	public boolean isListening() {
		return this.listening;
	}

	private void listenUntilStopped() {
		boolean firstConnection = true;
		while (this.running) {
			try (Connection connection = openDedicatedConnection()) {
				try (Statement statement = connection.createStatement()) {
					for (String channel : this.active.stream().map(Subscriber::channel).distinct().toList()) {
						statement.execute("LISTEN " + quoted(channel));
					}
				}
				this.listening = true;
				if (!firstConnection) {
					log.info("Listening for database notifications again; subscribers catch up on what they missed");
					this.active.forEach(DatabaseNotifications::reconnected);
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
							deliver(notification.getName(), notification.getParameter());
						}
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				this.listening = false;
				if (this.running) {
					log.warn("The database notification listener lost its connection ({}); reconnecting in {}",
							ex.getMessage(), RECONNECT_DELAY);
					pause();
				}
			}
		}
		this.listening = false;
	}

	private void deliver(String channel, String payload) {
		for (Subscriber subscriber : this.active) {
			if (subscriber.channel().equals(channel)) {
				try {
					subscriber.notified(payload);
				}
				catch (RuntimeException ex) {
					log.warn("A subscriber of {} failed on a notification: {}", channel, ex.toString());
				}
			}
		}
	}

	private static void reconnected(Subscriber subscriber) {
		try {
			subscriber.reconnected();
		}
		catch (RuntimeException ex) {
			log.warn("A subscriber of {} failed to catch up: {}", subscriber.channel(), ex.toString());
		}
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
		connectionProperties.setProperty("ApplicationName", "plaid-sync notification listener");
		connectionProperties.setProperty("tcpKeepAlive", "true");
		return DriverManager.getConnection(hikari.getJdbcUrl(), connectionProperties);
	}

	private static String quoted(String channel) {
		return "\"" + channel.replace("\"", "\"\"") + "\"";
	}

	private void pause() {
		try {
			Thread.sleep(RECONNECT_DELAY.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

}
