package dev.plaidsync.portfolio;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How users' JWTs are checked: {@code PLAIDSYNC_AUTH_ISSUER} with
 * {@code PLAIDSYNC_AUTH_JWKS_URI} (Supabase, Auth0, Keycloak), or
 * {@code PLAIDSYNC_AUTH_HS256_SECRET} (Supabase's legacy secret). In simulator mode with
 * neither, the engine signs its own demo tokens.
 *
 * @param audience {@code PLAIDSYNC_AUTH_AUDIENCE}: when set, a token's {@code aud} must
 * contain it (Supabase: {@code authenticated})
 * @param clockSkew leeway for {@code exp} and {@code nbf}
 * @param demoTokenTtl how long a {@code POST /demo/token} token lives
 * @param jwksCacheTtl how long a fetched JWK set is used before it is fetched again
 * @param jwksRefetchInterval the least time between two fetches of the JWK set that a
 * token with an unknown {@code kid} causes (Nimbus allows two within it), so a flood of
 * made-up key ids causes only a few fetches, while a real key rotation is picked up
 * within this interval
 */
@ConfigurationProperties("plaidsync.auth")
record UserAuthProperties(String jwksUri, String issuer, String hs256Secret, String audience,
		@DefaultValue("60s") Duration clockSkew, @DefaultValue("12h") Duration demoTokenTtl,
		@DefaultValue("5m") Duration jwksCacheTtl, @DefaultValue("30s") Duration jwksRefetchInterval) {

	@Override
	public String toString() {
		return "UserAuthProperties[jwksUri=" + this.jwksUri + ", issuer=" + this.issuer
				+ ", hs256Secret=<redacted>, audience=" + this.audience + "]";
	}

}
