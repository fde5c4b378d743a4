package dev.plaidsync.portfolio;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How users' JWTs are checked: {@code PLAIDSYNC_AUTH_ISSUER} with {@code PLAIDSYNC_AUTH_JWKS_URI} (Supabase, Auth0,
 * Keycloak), or {@code PLAIDSYNC_AUTH_HS256_SECRET} (Supabase's legacy secret). In simulator mode with neither, the
 * engine signs its own demo tokens.
 * @param audience {@code PLAIDSYNC_AUTH_AUDIENCE}: when set, a token's {@code aud} must contain it (Supabase:
 * {@code authenticated})
 * @param clockSkew leeway for {@code exp} and {@code nbf}
 * @param demoTokenTtl how long a {@code POST /demo/token} token lives
 */
@ConfigurationProperties("plaidsync.auth")
record UserAuthProperties(String jwksUri, String issuer, String hs256Secret, String audience,
		@DefaultValue("60s") Duration clockSkew, @DefaultValue("12h") Duration demoTokenTtl) {

	@Override
	public String toString() {
		return "UserAuthProperties[jwksUri=" + this.jwksUri + ", issuer=" + this.issuer + ", hs256Secret=<redacted>, audience="
				+ this.audience + "]";
	}

}
