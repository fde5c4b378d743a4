package dev.plaidsync.simulator.internal;

import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

final class WebhookKeys {

	private final Clock clock;

	private final List<Key> keys = new CopyOnWriteArrayList<>();

	private volatile Key current;

	private volatile boolean failing;

	private record Key(ECKey jwk, long createdAt, Long expiredAt) {
	}

	WebhookKeys(Clock clock) {
		this.clock = clock;
		rotate();
	}

	synchronized String rotate() {
		long now = clock.millis() / 1000;
		Key previous = current;
		if (previous != null) {
			keys.set(keys.indexOf(previous), new Key(previous.jwk(), previous.createdAt(), now));
		}
		try {
			ECKey jwk = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
			current = new Key(jwk, now, null);
			keys.add(current);
			return jwk.getKeyID();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot generate a P-256 key", ex);
		}
	}

	String currentKeyId() {
		return current.jwk().getKeyID();
	}

	boolean failing() {
		return failing;
	}

	void setFailing(boolean failing) {
		this.failing = failing;
	}

	Map<String, Object> publicJwk(String keyId) {
		Key key = keys.stream().filter(k -> k.jwk().getKeyID().equals(keyId)).findFirst().orElse(null);
		if (key == null) {
			return null;
		}
		Map<String, Object> jwk = new LinkedHashMap<>();
		jwk.put("alg", "ES256");
		jwk.put("created_at", key.createdAt());
		jwk.put("crv", "P-256");
		jwk.put("expired_at", key.expiredAt());
		jwk.put("kid", key.jwk().getKeyID());
		jwk.put("kty", "EC");
		jwk.put("use", "sig");
		jwk.put("x", key.jwk().getX().toString());
		jwk.put("y", key.jwk().getY().toString());
		return jwk;
	}

	Signed sign(byte[] body) {
		return sign(body, clock.millis());
	}

	Signed sign(byte[] body, long issuedAtMillis) {
		Key key = current;
		try {
			JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.jwk().getKeyID())
				.type(JOSEObjectType.JWT)
				.build();
			JWTClaimsSet claims = new JWTClaimsSet.Builder().issueTime(new Date(issuedAtMillis))
				.claim("request_body_sha256", Ids.sha256Hex(body))
				.build();
			SignedJWT jwt = new SignedJWT(header, claims);
			jwt.sign(new ECDSASigner(key.jwk()));
			return new Signed(jwt.serialize(), key.jwk().getKeyID());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign webhook", ex);
		}
	}

	record Signed(String jwt, String keyId) {
	}

}
