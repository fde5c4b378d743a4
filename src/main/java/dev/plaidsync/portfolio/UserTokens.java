package dev.plaidsync.portfolio;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.plaidsync.common.DeploymentMode;
import dev.plaidsync.common.LocalSecrets;
import dev.plaidsync.common.StartupConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.StringUtils;

/**
 * Which users' JWTs the engine accepts, decided once at startup from
 * {@link UserAuthProperties}:
 * <ul>
 * <li>issuer + JWKS URI: tokens of that issuer signed by a key of the JWK set (fetched
 * and cached), with the algorithm that key declares (ES256, as Supabase's current keys;
 * RS256; and the other RSA/EC/PS algorithms). Symmetric algorithms and {@code none} are
 * never accepted here, so a token "signed" with a public key as an HMAC secret
 * fails;</li>
 * <li>HS256 secret: tokens signed with it (Supabase's legacy secret), of the issuer,
 * which must be set;</li>
 * <li>neither, in simulator mode: the engine's own demo key (kept in the data directory
 * in embedded mode, random per run otherwise), which also signs {@code POST /demo/token}
 * answers;</li>
 * <li>neither, anywhere else: startup stops.</li>
 * </ul>
 * Every token must carry a {@code sub}, an unexpired {@code exp}, and the configured
 * audience: outside simulator mode {@code PLAIDSYNC_AUTH_AUDIENCE} is required
 * (Supabase's is {@code authenticated}).
 */
final class UserTokens {

	static final String DEMO_ISSUER = "plaidsync-demo";

	/**
	 * What a JWK set's keys may sign with. Nimbus picks the key by {@code kid}, key type
	 * and the key's own declared {@code alg}, so a token verifies only with the algorithm
	 * its key declares.
	 */
	private static final java.util.Set<SignatureAlgorithm> ASYMMETRIC = java.util.Set.of(SignatureAlgorithm.ES256,
			SignatureAlgorithm.ES384, SignatureAlgorithm.ES512, SignatureAlgorithm.RS256, SignatureAlgorithm.RS384,
			SignatureAlgorithm.RS512, SignatureAlgorithm.PS256, SignatureAlgorithm.PS384, SignatureAlgorithm.PS512);

	private static final Logger log = LoggerFactory.getLogger(UserTokens.class);

	private final JwtDecoder decoder;

	private final SecretKey signingKey;

	private final String issuer;

	private final String audience;

	private final String mode;

	private UserTokens(JwtDecoder decoder, SecretKey signingKey, String issuer, String audience, String mode) {
		this.decoder = decoder;
		this.signingKey = signingKey;
		this.issuer = issuer;
		this.audience = audience;
		this.mode = mode;
	}

	static UserTokens from(UserAuthProperties properties, Environment environment, LocalSecrets localSecrets) {
		boolean jwks = StringUtils.hasText(properties.jwksUri());
		boolean issuer = StringUtils.hasText(properties.issuer());
		boolean hs256 = StringUtils.hasText(properties.hs256Secret());
		String audience = StringUtils.hasText(properties.audience()) ? properties.audience().trim() : null;
		if (jwks && hs256) {
			throw new StartupConfigurationException(
					"Both PLAIDSYNC_AUTH_JWKS_URI and PLAIDSYNC_AUTH_HS256_SECRET are set.",
					"Set one way of checking users' JWTs: PLAIDSYNC_AUTH_ISSUER with PLAIDSYNC_AUTH_JWKS_URI, or "
							+ "PLAIDSYNC_AUTH_HS256_SECRET (Supabase's legacy JWT secret).");
		}
		if (jwks != issuer && !hs256) {
			throw new StartupConfigurationException(
					(jwks ? "PLAIDSYNC_AUTH_JWKS_URI is set without PLAIDSYNC_AUTH_ISSUER."
							: "PLAIDSYNC_AUTH_ISSUER is set without PLAIDSYNC_AUTH_JWKS_URI."),
					"Set both: the issuer your tokens carry in 'iss' (such as https://<project>.supabase.co/auth/v1) and "
							+ "its JWKS URL (such as https://<project>.supabase.co/auth/v1/.well-known/jwks.json).");
		}
		if (hs256 && !issuer) {
			throw new StartupConfigurationException("PLAIDSYNC_AUTH_HS256_SECRET is set without PLAIDSYNC_AUTH_ISSUER.",
					"Set PLAIDSYNC_AUTH_ISSUER to the 'iss' your tokens carry (Supabase: https://<project>.supabase.co/auth/v1), "
							+ "so that a token another service signed with the same secret is refused.");
		}
		if ((jwks || hs256) && audience == null && !DeploymentMode.isSimulator(environment)) {
			throw new StartupConfigurationException("PLAIDSYNC_AUTH_AUDIENCE is not set, and PLAID_ENV="
					+ environment.getProperty("plaid.env")
					+ " needs it: without it a token your identity provider issued for another app would be accepted.",
					"Set PLAIDSYNC_AUTH_AUDIENCE to the 'aud' your users' tokens carry (Supabase: authenticated).");
		}
		if (jwks) {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(jwkSource(properties))
				.jwsAlgorithms((algorithms) -> algorithms.addAll(ASYMMETRIC))
				.build();
			decoder.setJwtValidator(validator(properties, properties.issuer().trim(), audience));
			log.info("Users' JWTs are checked against {} for issuer {}", properties.jwksUri(), properties.issuer());
			return new UserTokens(decoder, null, properties.issuer().trim(), audience, "jwks");
		}
		if (hs256) {
			SecretKey key = hmacKey(properties.hs256Secret().trim().getBytes(StandardCharsets.UTF_8),
					"PLAIDSYNC_AUTH_HS256_SECRET");
			String expectedIssuer = issuer ? properties.issuer().trim() : null;
			log.info("Users' JWTs are checked with the HS256 secret{}",
					(expectedIssuer != null) ? " for issuer " + expectedIssuer : "");
			return new UserTokens(hs256Decoder(key, properties, expectedIssuer, audience), key, expectedIssuer,
					audience, "hs256");
		}
		if (!DeploymentMode.isSimulator(environment)) {
			throw new StartupConfigurationException(
					"Users' JWTs cannot be checked: PLAIDSYNC_AUTH_ISSUER with PLAIDSYNC_AUTH_JWKS_URI, or "
							+ "PLAIDSYNC_AUTH_HS256_SECRET, must be set when PLAID_ENV="
							+ environment.getProperty("plaid.env") + ".",
					"Set PLAIDSYNC_AUTH_ISSUER and PLAIDSYNC_AUTH_JWKS_URI to your identity provider (Supabase, Auth0, "
							+ "Keycloak), or PLAIDSYNC_AUTH_HS256_SECRET to Supabase's legacy JWT secret. Demo tokens exist "
							+ "only with PLAID_ENV=simulator.");
		}
		SecretKey key = hmacKey(Base64.getDecoder().decode(demoKey(environment, localSecrets)), "the demo key");
		log.info("Simulator mode: users' JWTs are the engine's own demo tokens (POST /demo/token {{\"userId\": ...}})");
		return new UserTokens(hs256Decoder(key, properties, DEMO_ISSUER, audience), key, DEMO_ISSUER, audience, "demo");
	}

	/**
	 * The JWK set, cached for {@code jwksCacheTtl} and refetched for an unknown
	 * {@code kid} at most twice per {@code jwksRefetchInterval} (Spring's own JWKS
	 * decoder refetches on every unknown {@code kid}).
	 */
	private static JWKSource<SecurityContext> jwkSource(UserAuthProperties properties) {
		URL url;
		try {
			url = URI.create(properties.jwksUri().trim()).toURL();
		}
		catch (IllegalArgumentException | MalformedURLException ex) {
			throw new StartupConfigurationException("PLAIDSYNC_AUTH_JWKS_URI is not a URL: " + properties.jwksUri(),
					"Set it to your identity provider's JWKS URL, such as "
							+ "https://<project>.supabase.co/auth/v1/.well-known/jwks.json.");
		}
		long refetch = properties.jwksRefetchInterval().toMillis();
		long ttl = Math.max(properties.jwksCacheTtl().toMillis(), refetch + 1);
		JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(url)
			.cache(ttl, Math.min(15_000, ttl))
			.rateLimited(refetch)
			.build();
		return (selector, context) -> {
			try {
				return source.get(selector, context);
			}
			catch (RateLimitReachedException refetchedMomentsAgo) {
				return List.of();
			}
		};
	}

	private static String demoKey(Environment environment, LocalSecrets localSecrets) {
		if (DeploymentMode.usesEmbeddedDatabase(environment)) {
			return localSecrets.require(null, "PLAIDSYNC_AUTH_HS256_SECRET", "demo-jwt-key", UserTokens::randomKey);
		}
		return randomKey();
	}

	private static String randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	private static SecretKey hmacKey(byte[] secret, String name) {
		if (secret.length < 32) {
			throw new StartupConfigurationException(name + " is " + secret.length + " bytes; HS256 needs at least 32.",
					"Set PLAIDSYNC_AUTH_HS256_SECRET to your identity provider's JWT secret (Supabase: Project Settings > "
							+ "API > JWT Secret), which is at least 32 characters.");
		}
		return new SecretKeySpec(secret, "HmacSHA256");
	}

	private static JwtDecoder hs256Decoder(SecretKey key, UserAuthProperties properties, String issuer,
			String audience) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
		decoder.setJwtValidator(validator(properties, issuer, audience));
		return decoder;
	}

	private static OAuth2TokenValidator<Jwt> validator(UserAuthProperties properties, String issuer, String audience) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(new JwtTimestampValidator(properties.clockSkew()));
		validators.add(UserTokens::hasExpiryAndSubject);
		if (issuer != null) {
			validators.add(new JwtIssuerValidator(issuer));
		}
		if (audience != null) {
			validators.add(new JwtClaimValidator<List<String>>("aud", (aud) -> aud != null && aud.contains(audience)));
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	private static OAuth2TokenValidatorResult hasExpiryAndSubject(Jwt jwt) {
		if (jwt.getExpiresAt() == null) {
			return OAuth2TokenValidatorResult
				.failure(new OAuth2Error("invalid_token", "The token has no exp claim", null));
		}
		String subject = jwt.getSubject();
		if (!StringUtils.hasText(subject) || subject.length() > 255) {
			return OAuth2TokenValidatorResult
				.failure(new OAuth2Error("invalid_token", "The token has no usable sub claim", null));
		}
		if (subject.chars().anyMatch((c) -> c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFD)) {
			return OAuth2TokenValidatorResult
				.failure(new OAuth2Error("invalid_token", "The token's sub claim holds a control character", null));
		}
		return OAuth2TokenValidatorResult.success();
	}

	JwtDecoder decoder() {
		return this.decoder;
	}

	/**
	 * Signs tokens only with the engine's own demo key; empty when an identity provider
	 * issues them.
	 */
	Optional<String> demoToken(String subject, Instant issuedAt, Instant expiresAt) {
		if (!"demo".equals(this.mode)) {
			return Optional.empty();
		}
		return Optional.of(sign(subject, issuedAt, expiresAt, this.signingKey));
	}

	String sign(String subject, Instant issuedAt, Instant expiresAt, SecretKey key) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
			.issuer(this.issuer)
			.issueTime(Date.from(issuedAt))
			.expirationTime(Date.from(expiresAt));
		if (this.audience != null) {
			claims.audience(this.audience);
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
		try {
			jwt.sign(new MACSigner(key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign a demo token", ex);
		}
		return jwt.serialize();
	}

}
