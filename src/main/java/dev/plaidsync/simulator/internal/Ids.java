package dev.plaidsync.simulator.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;

final class Ids {

	private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

	private static final String ACCESS_PREFIX = "access-sandbox-";

	private Ids() {
	}

	static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String sha256Hex(byte[] bytes) {
		return HexFormat.of().formatHex(sha256(bytes));
	}

	static long seed(Object... parts) {
		byte[] digest = sha256(String.join("|", java.util.Arrays.stream(parts).map(String::valueOf).toList())
			.getBytes(StandardCharsets.UTF_8));
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value = (value << 8) | (digest[i] & 0xFF);
		}
		return value;
	}

	static long mix(long a, long b) {
		long z = a ^ (b * 0x9E3779B97F4A7C15L);
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	static String plaidId(Object... parts) {
		SplittableRandom random = new SplittableRandom(seed(parts));
		return randomBase62(random, 37);
	}

	static String randomBase62(SplittableRandom random, int length) {
		char[] chars = new char[length];
		for (int i = 0; i < length; i++) {
			chars[i] = BASE62[random.nextInt(BASE62.length)];
		}
		return new String(chars);
	}

	static UUID newItemUuid(int institutionIndex, long loginHash, boolean heavy, SplittableRandom random) {
		long msb = ((long) (institutionIndex & 0xFF) << 56) | ((loginHash & 0xFFFFFFFFL) << 24)
				| (random.nextLong() & 0x7FFFFFL) | (heavy ? 0x800000L : 0);
		msb = (msb & ~0xF000L) | 0x4000L;
		long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb);
	}

	static int institutionIndex(UUID uuid) {
		return (int) (uuid.getMostSignificantBits() >>> 56);
	}

	static boolean heavy(UUID uuid) {
		return (uuid.getMostSignificantBits() & 0x800000L) != 0;
	}

	static long loginHash(UUID uuid) {
		return (uuid.getMostSignificantBits() >>> 24) & 0xFFFFFFFFL;
	}

	static long loginHash(String institutionId, String username) {
		return seed("login", institutionId, username == null ? "user_good" : username) & 0xFFFFFFFFL;
	}

	static String accessToken(UUID uuid) {
		return ACCESS_PREFIX + uuid;
	}

	static UUID parseAccessToken(String token) {
		if (token == null || !token.startsWith(ACCESS_PREFIX)) {
			return null;
		}
		try {
			UUID uuid = UUID.fromString(token.substring(ACCESS_PREFIX.length()));
			return uuid.toString().equals(token.substring(ACCESS_PREFIX.length())) ? uuid : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	static String itemId(UUID uuid) {
		return plaidId("item", uuid);
	}

}
