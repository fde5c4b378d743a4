package dev.plaidsync.portfolio;

import java.util.UUID;

import dev.plaidsync.common.DatabaseNotifications;
import dev.plaidsync.notifications.UserEventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Hears "this user has new events" ({@link UserEventLog#CHANNEL}, sent by the outbox's
 * transaction on commit) from every replica: the user's streams here read and send them.
 * After the listening connection was reopened every stream reads what it missed.
 */
@Component
class StreamEventNotifications implements DatabaseNotifications.Subscriber {

	private static final Logger log = LoggerFactory.getLogger(StreamEventNotifications.class);

	private final PortfolioStreams streams;

	StreamEventNotifications(PortfolioStreams streams) {
		this.streams = streams;
	}

	@Override
	public String channel() {
		return UserEventLog.CHANNEL;
	}

	@Override
	public void notified(String payload) {
		UUID userId;
		try {
			userId = UUID.fromString(payload);
		}
		catch (IllegalArgumentException ex) {
			log.debug("Ignored an event notification that names no user: {}", payload);
			return;
		}
		this.streams.newEvents(userId);
	}

	@Override
	public void reconnected() {
		this.streams.newEventsForEveryone();
	}

}
