package dev.plaidsync.portfolio;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.plaidsync.testsupport.EngineIntegrationTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: users' JWTs checked against a real JWK set served over HTTP by this test (an
 * ES256 key, as Supabase's current signing keys, and an RS256 key), with the issuer and
 * audience required. Accepted: ES256 and RS256 tokens of the issuer for the audience.
 * 401: wrong audience, wrong issuer, a key not in the set (even with a listed kid),
 * {@code alg} confusion (HS256 keyed with the RSA public key, {@code none}, an algorithm
 * the key does not declare, an EC signature under the RSA key's kid), and an expired
 * token.
 */
@EngineIntegrationTest
class UserJwksIntegrationTests {

	private static final String ISSUER = "https://auth.test/auth/v1";

	private static final String AUDIENCE = "authenticated";

	private static final RSAKey RSA = generateRsa("rsa-1");

	private static final ECKey EC = generateEc("ec-1");

	private static final ECKey UNLISTED = generateEc("ec-1");

	private static final AtomicInteger FETCHES = new AtomicInteger();

	private static final Duration REFETCH_INTERVAL = Duration.ofSeconds(2);

	private static final AtomicReference<String> SERVED = new AtomicReference<>(
			new JWKSet(List.of(RSA, EC)).toPublicJWKSet().toString());

	private static final java.util.concurrent.atomic.AtomicBoolean DOWN = new java.util.concurrent.atomic.AtomicBoolean();

	private static final HttpServer JWKS = serve();

	@LocalServerPort
	int port;

	RestClient http;

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry registry) {
		registry.add("plaidsync.auth.jwks-uri", () -> "http://localhost:" + JWKS.getAddress().getPort() + "/jwks.json");
		registry.add("plaidsync.auth.issuer", () -> ISSUER);
		registry.add("plaidsync.auth.audience", () -> AUDIENCE);
		registry.add("plaidsync.auth.jwks-refetch-interval", REFETCH_INTERVAL::toString);
	}

	@AfterAll
	static void stopTheIdentityProvider() {
		JWKS.stop(0);
	}

	@BeforeEach
	void setUp() {
		this.http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	@Test
	void es256AndRs256TokensOfTheIssuerForTheAudienceAreAccepted() throws Exception {
		String user = "jwks-" + UUID.randomUUID();
		assertThat(call(sign(EC, JWSAlgorithm.ES256, new ECDSASigner(EC), claims(user)))).isEqualTo(200);
		assertThat(call(sign(RSA, JWSAlgorithm.RS256, new RSASSASigner(RSA), claims(user)))).isEqualTo(200);
		assertThat(FETCHES.get()).as("the JWK set was fetched over HTTP").isPositive();
	}

	@Test
	void aWrongAudienceOrIssuerIsRefused() throws Exception {
		String user = "jwks-" + UUID.randomUUID();
		JWTClaimsSet otherAudience = new JWTClaimsSet.Builder(claims(user)).audience("another-app").build();
		JWTClaimsSet noAudience = new JWTClaimsSet.Builder(claims(user)).audience((String) null).build();
		JWTClaimsSet otherIssuer = new JWTClaimsSet.Builder(claims(user)).issuer("https://evil.test/auth/v1").build();
		JWTClaimsSet noIssuer = new JWTClaimsSet.Builder(claims(user)).issuer(null).build();
		for (JWTClaimsSet claims : List.of(otherAudience, noAudience, otherIssuer, noIssuer)) {
			assertThat(call(sign(EC, JWSAlgorithm.ES256, new ECDSASigner(EC), claims))).as("%s", claims).isEqualTo(401);
		}
	}

	@Test
	void aKeyNotInTheSetIsRefusedEvenUnderAListedKid() throws Exception {
		assertThat(call(sign(UNLISTED, JWSAlgorithm.ES256, new ECDSASigner(UNLISTED), claims("jwks-other"))))
			.isEqualTo(401);
	}

	@Test
	void algorithmConfusionIsRefused() throws Exception {
		JWTClaimsSet claims = claims("jwks-confused");
		// HS256 "signed" with the RSA key's public bytes, which anyone can read from the
		// JWK set
		byte[] publicBytes = RSA.toRSAPublicKey().getEncoded();
		assertThat(call(sign(RSA, JWSAlgorithm.HS256, new MACSigner(publicBytes), claims))).isEqualTo(401);
		// no signature at all
		assertThat(call(new PlainJWT(claims).serialize())).isEqualTo(401);
		// an algorithm the key does not declare (it declares RS256)
		assertThat(call(sign(RSA, JWSAlgorithm.RS512, new RSASSASigner(RSA), claims))).isEqualTo(401);
		assertThat(call(sign(RSA, JWSAlgorithm.PS256, new RSASSASigner(RSA), claims))).isEqualTo(401);
		// an EC signature presented under the RSA key's kid
		assertThat(call(sign(RSA, JWSAlgorithm.ES256, new ECDSASigner(EC), claims))).isEqualTo(401);
	}

	@Test
	void anExpiredTokenIsRefused() throws Exception {
		Instant past = Instant.now().minus(Duration.ofMinutes(30));
		JWTClaimsSet expired = new JWTClaimsSet.Builder(claims("jwks-expired")).issueTime(Date.from(past))
			.expirationTime(Date.from(past.plus(Duration.ofMinutes(10))))
			.build();
		assertThat(call(sign(EC, JWSAlgorithm.ES256, new ECDSASigner(EC), expired))).isEqualTo(401);
		JWTClaimsSet noExpiry = new JWTClaimsSet.Builder(claims("jwks-forever")).expirationTime(null).build();
		assertThat(call(sign(EC, JWSAlgorithm.ES256, new ECDSASigner(EC), noExpiry))).isEqualTo(401);
	}

	private int call(String token) {
		ResponseEntity<String> answer = this.http.get()
			.uri("/api/plaid/items")
			.header("Authorization", "Bearer " + token)
			.retrieve()
			.toEntity(String.class);
		if (answer.getStatusCode().value() == 401) {
			assertThat(answer.getBody()).contains("invalid_token");
		}
		return answer.getStatusCode().value();
	}

	private static JWTClaimsSet claims(String subject) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().subject(subject)
			.issuer(ISSUER)
			.audience(AUDIENCE)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
			.build();
	}

	private static String sign(com.nimbusds.jose.jwk.JWK key, JWSAlgorithm algorithm, JWSSigner signer,
			JWTClaimsSet claims) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
		jwt.sign(signer);
		return jwt.serialize();
	}

	private static RSAKey generateRsa(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid)
				.algorithm(JWSAlgorithm.RS256)
				.keyUse(KeyUse.SIGNATURE)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ECKey generateEc(String kid) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(kid)
				.algorithm(JWSAlgorithm.ES256)
				.keyUse(KeyUse.SIGNATURE)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Issue 26: 60 tokens with made-up key ids are all refused after at most two fetches
	 * of the JWK set (Nimbus's rate-limited source allows two per interval), where
	 * Spring's default decoder fetched it for each; and a key the identity provider
	 * rotates in is accepted within the refetch interval.
	 */
	@Test
	void madeUpKeyIdsCauseAtMostTwoFetchesAndARotatedKeyIsAcceptedWithinTheInterval() throws Exception {
		String user = "jwks-flood-" + UUID.randomUUID();
		assertThat(call(sign(EC, JWSAlgorithm.ES256, new ECDSASigner(EC), claims(user)))).isEqualTo(200);
		int before = FETCHES.get();
		for (int i = 0; i < 60; i++) {
			ECKey madeUp = generateEc("made-up-" + i);
			assertThat(call(sign(madeUp, JWSAlgorithm.ES256, new ECDSASigner(madeUp), claims(user)))).isEqualTo(401);
		}
		assertThat(FETCHES.get() - before).as("JWK set fetches for 60 unknown kids").isLessThanOrEqualTo(2);

		ECKey rotated = generateEc("ec-2");
		SERVED.set(new JWKSet(List.of(RSA, EC, rotated)).toPublicJWKSet().toString());
		String rotatedToken = sign(rotated, JWSAlgorithm.ES256, new ECDSASigner(rotated), claims(user));
		long started = System.nanoTime();
		Awaitility.await()
			.atMost(REFETCH_INTERVAL.plusSeconds(5))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> call(rotatedToken) == 200);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(REFETCH_INTERVAL.plusSeconds(5));
		assertThat(FETCHES.get() - before).as("fetches in all, rotation included").isLessThanOrEqualTo(4);
	}

	/**
	 * A JWK set that cannot be fetched is the identity provider's outage: 503 with
	 * Retry-After, never a 500.
	 */
	@Test
	void anUnreachableJwkSetIsA503() throws Exception {
		ECKey unknown = generateEc("not-yet-fetched-" + UUID.randomUUID());
		String token = sign(unknown, JWSAlgorithm.ES256, new ECDSASigner(unknown), claims("jwks-outage"));
		DOWN.set(true);
		try {
			Awaitility.await()
				.atMost(REFETCH_INTERVAL.plusSeconds(8))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> {
					ResponseEntity<String> answer = this.http.get()
						.uri("/api/plaid/items")
						.header("Authorization", "Bearer " + token)
						.retrieve()
						.toEntity(String.class);
					assertThat(answer.getStatusCode().value()).isIn(401, 503);
					return answer.getStatusCode().value() == 503 && answer.getHeaders().getFirst("Retry-After") != null
							&& answer.getBody().contains("auth_unavailable");
				});
		}
		finally {
			DOWN.set(false);
		}
	}

	private static HttpServer serve() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
			server.createContext("/jwks.json", (exchange) -> {
				FETCHES.incrementAndGet();
				if (DOWN.get()) {
					exchange.sendResponseHeaders(500, -1);
					exchange.close();
					return;
				}
				byte[] body = SERVED.get().getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
