package dev.plaidsync.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies a webhook as Plaid signs it (docs/plaid.md, "Verifying a webhook";
 * https://plaid.com/docs/api/webhooks/webhook-verification/): the
 * {@code Plaid-Verification} JWT must be ES256, signed by the key its {@code kid} names,
 * issued at most {@code maxTokenAge} ago and at most {@code maxClockSkew} ahead, and its
 * {@code request_body_sha256} must equal the SHA-256 of the raw bytes, compared in
 * constant time. There is no bypass. Thread-safe.
 */
class WebhookVerifier {

	private final VerificationKeys keys;

	private final Duration maxTokenAge;

	private final Duration maxClockSkew;

	private final Clock clock;

	WebhookVerifier(VerificationKeys keys, Duration maxTokenAge, Duration maxClockSkew, Clock clock) {
		this.keys = keys;
		this.maxTokenAge = maxTokenAge;
		this.maxClockSkew = maxClockSkew;
		this.clock = clock;
	}

	/**
	 * @return the {@code kid} the body was signed under
	 * @throws Rejection 401 when the webhook is not Plaid's, 503 when its key cannot be
	 * fetched now
	 */
	String verify(String token, byte[] body, String bodySha256) {
		if (token == null || token.isBlank()) {
			throw Rejection.unauthorized("missing_signature", "No Plaid-Verification header");
		}
		SignedJWT jwt = parse(token.trim());
		if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
			throw Rejection.unauthorized("unsupported_algorithm",
					"The JWT's alg is " + jwt.getHeader().getAlgorithm() + "; only ES256 is accepted");
		}
		String kid = jwt.getHeader().getKeyID();
		if (kid == null || kid.isBlank()) {
			throw Rejection.unauthorized("missing_key_id", "The JWT header names no kid");
		}
		if (!signatureHolds(jwt, this.keys.verifierFor(kid))) {
			throw Rejection.unauthorized("invalid_signature", "The JWT's signature does not verify with key " + kid);
		}
		JWTClaimsSet claims = claims(jwt);
		checkIssuedAt(claims.getIssueTime());
		checkBodyHash(claims, bodySha256);
		return kid;
	}

	static String sha256Hex(byte[] body) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	/**
	 * The token parsed once; only when it is not a signed JWT is its header read alone,
	 * to say why (an {@code alg} that is not a JWS one, such as {@code none}).
	 */
	private static SignedJWT parse(String token) {
		String[] parts = token.split("\\.", -1);
		if (parts.length != 3) {
			throw Rejection.unauthorized("malformed_signature", "Plaid-Verification is not a signed JWT");
		}
		try {
			return SignedJWT.parse(token);
		}
		catch (ParseException notSigned) {
			Header header;
			try {
				header = Header.parse(new Base64URL(parts[0]));
			}
			catch (ParseException ex) {
				throw Rejection.unauthorized("malformed_signature", "Plaid-Verification has an unreadable JWT header");
			}
			if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
				throw Rejection.unauthorized("unsupported_algorithm",
						"The JWT's alg is " + header.getAlgorithm() + "; only ES256 is accepted");
			}
			throw Rejection.unauthorized("malformed_signature", "Plaid-Verification is not a valid ES256 JWT");
		}
	}

	private static boolean signatureHolds(SignedJWT jwt, JWSVerifier verifier) {
		try {
			return jwt.verify(verifier);
		}
		catch (JOSEException ex) {
			return false;
		}
	}

	private static JWTClaimsSet claims(SignedJWT jwt) {
		try {
			return jwt.getJWTClaimsSet();
		}
		catch (ParseException ex) {
			throw Rejection.unauthorized("malformed_claims", "The JWT's claims are not a JSON object");
		}
	}

	private void checkIssuedAt(Date issueTime) {
		if (issueTime == null) {
			throw Rejection.unauthorized("missing_iat", "The JWT has no iat claim");
		}
		Instant issuedAt = issueTime.toInstant();
		Instant now = this.clock.instant();
		if (issuedAt.isBefore(now.minus(this.maxTokenAge))) {
			throw Rejection.unauthorized("stale_iat",
					"The JWT was issued at " + issuedAt + ", more than " + this.maxTokenAge.toSeconds() + " s ago");
		}
		if (issuedAt.isAfter(now.plus(this.maxClockSkew))) {
			throw Rejection.unauthorized("future_iat", "The JWT was issued at " + issuedAt + ", in the future");
		}
	}

	private static void checkBodyHash(JWTClaimsSet claims, String bodySha256) {
		Object claimed = claims.getClaim("request_body_sha256");
		if (!(claimed instanceof String signedHash)) {
			throw Rejection.unauthorized("missing_body_hash", "The JWT has no request_body_sha256 claim");
		}
		if (!MessageDigest.isEqual(signedHash.getBytes(StandardCharsets.US_ASCII),
				bodySha256.getBytes(StandardCharsets.US_ASCII))) {
			throw Rejection.unauthorized("body_mismatch", "The body is not the one that was signed");
		}
	}

}
