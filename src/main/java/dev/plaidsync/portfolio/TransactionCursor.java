package dev.plaidsync.portfolio;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import org.springframework.http.HttpStatus;

/**
 * The opaque {@code cursor} of the keyset-paged transactions: the last row of a page (its
 * date and id), bound to the user and the filters it was read with by a SHA-256 check, in
 * base64url. A cursor that does not decode, was edited, or was made for another user or
 * other filters is a 400 {@code invalid_cursor}. The check is not secret: it catches
 * corruption, edits and a cursor sent with the wrong query; a forged cursor could only
 * page through rows the caller may read anyway (row-level security).
 *
 * @param date the last row's date
 * @param id the last row's {@code investment_transaction_id}
 */
record TransactionCursor(LocalDate date, String id) {

	private static final byte VERSION = 1;

	private static final int CHECK_BYTES = 8;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final String WHAT_TO_SEND = "send the next_cursor of the previous page unchanged, with the same "
			+ "filters, or no cursor for the first page.";

	String encode(UUID userId, String filters) {
		byte[] id = this.id.getBytes(StandardCharsets.UTF_8);
		ByteBuffer payload = ByteBuffer.allocate(1 + Long.BYTES + id.length);
		payload.put(VERSION).putLong(this.date.toEpochDay()).put(id);
		byte[] check = check(userId, filters, payload.array());
		return ENCODER.encodeToString(
				ByteBuffer.allocate(payload.capacity() + CHECK_BYTES).put(payload.array()).put(check).array());
	}

	static TransactionCursor decode(String cursor, UUID userId, String filters) {
		byte[] raw;
		try {
			raw = Base64.getUrlDecoder().decode(cursor);
		}
		catch (IllegalArgumentException notBase64) {
			throw invalid("cursor is not a cursor this API gave (not base64url); " + WHAT_TO_SEND);
		}
		if (raw.length < 1 + Long.BYTES + 1 + CHECK_BYTES || raw[0] != VERSION) {
			throw invalid("cursor is not a cursor this API gave; " + WHAT_TO_SEND);
		}
		byte[] payload = Arrays.copyOf(raw, raw.length - CHECK_BYTES);
		byte[] check = Arrays.copyOfRange(raw, raw.length - CHECK_BYTES, raw.length);
		if (!MessageDigest.isEqual(check, check(userId, filters, payload))) {
			throw invalid("cursor was changed, or was given for other filters or another user; " + WHAT_TO_SEND);
		}
		ByteBuffer buffer = ByteBuffer.wrap(payload, 1, payload.length - 1);
		long epochDay = buffer.getLong();
		String id = new String(payload, 1 + Long.BYTES, payload.length - 1 - Long.BYTES, StandardCharsets.UTF_8);
		return new TransactionCursor(LocalDate.ofEpochDay(epochDay), id);
	}

	private static byte[] check(UUID userId, String filters, byte[] payload) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(
					("plaidsync transactions cursor|" + userId + "|" + filters + "|").getBytes(StandardCharsets.UTF_8));
			return Arrays.copyOf(sha256.digest(payload), CHECK_BYTES);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	private static ApiException invalid(String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, "invalid_cursor", message);
	}

}
