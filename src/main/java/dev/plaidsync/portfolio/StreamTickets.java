package dev.plaidsync.portfolio;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Tickets that open the event stream without an {@code Authorization} header, as a
 * browser's {@code EventSource} must: 32 random bytes, valid {@link #TTL} and for one
 * stream. Only their SHA-256 is stored, in PostgreSQL, so any replica redeems a ticket
 * another issued; redeeming deletes the row in the same statement, so a ticket opens at
 * most one stream, whatever the races.
 */
@Component
class StreamTickets {

	static final Duration TTL = Duration.ofSeconds(60);

	private final SecureRandom random = new SecureRandom();

	private final JdbcClient jdbc;

	StreamTickets(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record Ticket(String ticket, OffsetDateTime expiresAt) {
	}

	Ticket issue(UUID userId) {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		OffsetDateTime expiresAt = this.jdbc.sql("""
				INSERT INTO stream_tickets (ticket_hash, user_id, expires_at)
				VALUES (:hash, :userId, clock_timestamp() + make_interval(secs => :ttl))
				RETURNING expires_at
				""")
			.param("hash", hash(ticket))
			.param("userId", userId)
			.param("ttl", (double) TTL.toSeconds())
			.query(OffsetDateTime.class)
			.single();
		return new Ticket(ticket, expiresAt);
	}

	/**
	 * The user the ticket was issued to, if it is known, unexpired and unused; it cannot
	 * be used again either way.
	 */
	Optional<UUID> redeem(String ticket) {
		return this.jdbc.sql("""
				DELETE FROM stream_tickets WHERE ticket_hash = :hash
				RETURNING CASE WHEN expires_at > clock_timestamp() THEN user_id END AS user_id
				""")
			.param("hash", hash(ticket))
			.query((row, n) -> Optional.ofNullable(row.getObject("user_id", UUID.class)))
			.list()
			.stream()
			.flatMap(Optional::stream)
			.findFirst();
	}

	@Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT5M")
	void forgetExpired() {
		this.jdbc.sql("DELETE FROM stream_tickets WHERE expires_at < clock_timestamp()").update();
	}

	private static byte[] hash(String ticket) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}
