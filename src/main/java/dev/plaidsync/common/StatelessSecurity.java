package dev.plaidsync.common;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;

/**
 * What every security chain of this engine is: stateless (no session, no request cache),
 * with no CSRF protection (no cookies carry a credential), and no HTTP Basic, form login
 * or logout endpoints. Each chain applies it.
 */
public final class StatelessSecurity implements Customizer<HttpSecurity> {

	private static final StatelessSecurity INSTANCE = new StatelessSecurity();

	private StatelessSecurity() {
	}

	public static HttpSecurity applyTo(HttpSecurity http) {
		INSTANCE.customize(http);
		return http;
	}

	@Override
	public void customize(HttpSecurity http) {
		http.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.httpBasic((basic) -> basic.disable())
			.formLogin((login) -> login.disable())
			.logout((logout) -> logout.disable());
	}

}
