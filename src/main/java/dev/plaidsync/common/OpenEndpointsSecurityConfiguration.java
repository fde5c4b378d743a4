package dev.plaidsync.common;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The last security filter chain: everything no other chain claims (the webhook intake, the simulator, actuator,
 * static resources) passes through Spring Security untouched, with no session and no CSRF token, because those
 * endpoints authenticate on their own terms (Plaid's signed JWT, nothing in simulator mode, probes). The chains that
 * do authenticate ({@code /ops/**}, {@code /api/**}) are ordered before this one, in their own modules.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class OpenEndpointsSecurityConfiguration {

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SecurityFilterChain openEndpointsSecurityFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.build();
	}

}
