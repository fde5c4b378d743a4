package dev.plaidsync.webhooks.internal;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.plaid.client.model.JWKPublicKey;
import io.github.bucket4j.Bucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.plaidsync.plaid.PlaidFailure;
import dev.plaidsync.plaid.PlaidGateway;

/**
 * Plaid's webhook verification keys, by {@code kid}, as docs/plaid.md, "Verifying a
 * webhook", says: cached with a time to live; an unknown {@code kid} is fetched once, and
 * the fetch also re-fetches every cached key that has not expired, so that a rotated-out
 * key's {@code expired_at} is seen. Fetches for unknown kids are rate-limited, so that
 * forged kids cannot flood Plaid. A key with {@code expired_at} is never trusted.
 * Thread-safe: cached keys are read without locking; fetches are serialised, so a burst
 * under a new kid fetches it once.
 */
class VerificationKeys {

	private static final Logger log = LoggerFactory.getLogger(VerificationKeys.class);

	static final String UNKNOWN_KEY_CODE = "INVALID_WEBHOOK_VERIFICATION_KEY_ID";

	private final PlaidGateway plaid;

	private final Duration ttl;

	private final Bucket unknownKeyFetches;

	private final Clock clock;

	/**
	 * Bounded: Plaid has a handful of keys, and only keys Plaid returned are cached (a
	 * forged kid never is). A key is re-fetched after {@code ttl}; it stays in memory a
	 * while longer ({@value #KEPT_TTLS} TTLs) so that a Plaid outage during a re-fetch
	 * can fall back to it.
	 */
	private final Map<String, CachedKey> keys;

	static final int MAX_KEYS = 100;

	static final int KEPT_TTLS = 6;

	private final Object fetching = new Object();

	VerificationKeys(PlaidGateway plaid, Duration ttl, int unknownKeyFetchesPerMinute, Clock clock) {
		this.plaid = plaid;
		this.ttl = ttl;
		this.clock = clock;
		this.keys = Caffeine.newBuilder()
			.maximumSize(MAX_KEYS)
			.expireAfterWrite(ttl.multipliedBy(KEPT_TTLS))
			.<String, CachedKey>build()
			.asMap();
		this.unknownKeyFetches = Bucket.builder()
			.addLimit((limit) -> limit.capacity(unknownKeyFetchesPerMinute)
				.refillGreedy(unknownKeyFetchesPerMinute, Duration.ofMinutes(1)))
			.build();
	}

	/**
	 * The verifier for a webhook signed under {@code kid}: thread-safe, built once when
	 * the key is fetched (its public key converted and checked to be on the curve then,
	 * not per webhook).
	 * @throws Rejection 401 for an unknown or expired key, 503 when Plaid cannot be asked
	 * or unknown kids arrive faster than the configured rate
	 */
	JWSVerifier verifierFor(String kid) {
		return cachedFor(kid).verifier();
	}

	private CachedKey cachedFor(String kid) {
		CachedKey cached = this.keys.get(kid);
		if (cached != null && fresh(cached)) {
			return trusted(cached);
		}
		synchronized (this.fetching) {
			cached = this.keys.get(kid);
			if (cached != null && fresh(cached)) {
				return trusted(cached);
			}
			if (cached != null) {
				return trusted(refetch(cached, kid));
			}
			if (!this.unknownKeyFetches.tryConsume(1)) {
				throw Rejection.unavailable("key_fetch_throttled",
						"Too many webhooks under unknown key ids; this one can be retried later");
			}
			try {
				return trusted(fetch(kid));
			}
			finally {
				refetchUnexpiredKeysExcept(kid);
			}
		}
	}

	private boolean fresh(CachedKey cached) {
		return cached.fetchedAt().plus(this.ttl).isAfter(this.clock.instant());
	}

	private static CachedKey trusted(CachedKey cached) {
		if (cached.expiredAt() != null) {
			throw Rejection.unauthorized("key_expired", "The signing key " + cached.key().getKeyID() + " expired at "
					+ Instant.ofEpochSecond(cached.expiredAt()));
		}
		return cached;
	}

	/**
	 * A known key past its time to live: fetched again, or kept while Plaid cannot be
	 * asked.
	 */
	private CachedKey refetch(CachedKey cached, String kid) {
		try {
			return fetch(kid);
		}
		catch (Rejection rejection) {
			if (rejection.status().is5xxServerError() && cached.expiredAt() == null) {
				return cached;
			}
			throw rejection;
		}
	}

	private CachedKey fetch(String kid) {
		JWKPublicKey jwk;
		try {
			jwk = this.plaid.webhookVerificationKey(kid);
		}
		catch (PlaidFailure failure) {
			if (UNKNOWN_KEY_CODE.equals(failure.errorCode())) {
				this.keys.remove(kid);
				throw Rejection.unauthorized("unknown_key", "Plaid knows no verification key " + kid);
			}
			log.warn("Could not fetch webhook verification key {}: {}", kid, failure.getMessage());
			throw Rejection.unavailable("key_unavailable",
					"The verification key could not be fetched from Plaid (" + failure.errorCode() + "); retry later");
		}
		catch (RuntimeException ex) {
			log.warn("Could not fetch webhook verification key {}: {}", kid, ex.toString());
			throw Rejection.unavailable("key_unavailable",
					"The verification key could not be fetched from Plaid; retry later");
		}
		ECKey key = toEcKey(kid, jwk);
		CachedKey cached = new CachedKey(key, verifier(kid, key),
				(jwk.getExpiredAt() != null) ? jwk.getExpiredAt().longValue() : null, this.clock.instant());
		this.keys.put(kid, cached);
		return cached;
	}

	private void refetchUnexpiredKeysExcept(String kid) {
		List<String> unexpired = this.keys.entrySet()
			.stream()
			.filter((entry) -> !entry.getKey().equals(kid) && entry.getValue().expiredAt() == null)
			.map(Map.Entry::getKey)
			.toList();
		for (String other : unexpired) {
			try {
				fetch(other);
			}
			catch (Rejection stillCachedOrGone) {
				log.debug("Re-fetching key {}: {}", other, stillCachedOrGone.getMessage());
			}
		}
	}

	private static ECKey toEcKey(String kid, JWKPublicKey jwk) {
		if (!"EC".equals(jwk.getKty()) || !"P-256".equals(jwk.getCrv()) || jwk.getX() == null || jwk.getY() == null
				|| !kid.equals(jwk.getKid())) {
			throw Rejection.unauthorized("unusable_key", "Plaid's key " + kid + " is not an EC P-256 key for that id");
		}
		try {
			return ECKey
				.parse(Map.of("kty", "EC", "crv", Curve.P_256.getName(), "x", jwk.getX(), "y", jwk.getY(), "kid", kid));
		}
		catch (ParseException | IllegalArgumentException ex) {
			throw Rejection.unauthorized("unusable_key", "Plaid's key " + kid + " is not a valid P-256 point");
		}
	}

	private static JWSVerifier verifier(String kid, ECKey key) {
		try {
			return new ECDSAVerifier(key);
		}
		catch (JOSEException ex) {
			throw Rejection.unauthorized("unusable_key", "Plaid's key " + kid + " is not a valid P-256 point");
		}
	}

	private record CachedKey(ECKey key, JWSVerifier verifier, Long expiredAt, Instant fetchedAt) {
	}

}
