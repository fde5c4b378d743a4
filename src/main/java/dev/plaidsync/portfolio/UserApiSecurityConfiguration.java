package dev.plaidsync.portfolio;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import dev.plaidsync.common.LocalSecrets;
import dev.plaidsync.common.RequestBodyLimit;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Users' requests under {@code /api/**} carry a bearer JWT (see {@link UserTokens}); {@code /demo/**} is open, and
 * exists only in simulator mode. Stateless, no CSRF (no cookies), and every refusal is JSON: 401 for a missing,
 * expired, forged or wrongly signed token, never a redirect or a login page. Ordered after the operators' chain
 * ({@code /ops/**}, order 1) and before the open fallback chain.
 */
@Configuration(proxyBeanMethods = false)
class UserApiSecurityConfiguration {

	@Bean
	UserTokens userTokens(UserAuthProperties properties, Environment environment, LocalSecrets localSecrets) {
		return UserTokens.from(properties, environment, localSecrets);
	}

	@Bean
	JwtDecoder userJwtDecoder(UserTokens userTokens) {
		return userTokens.decoder();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class UserApiFilterChain {

		@Bean
		@Order(2)
		SecurityFilterChain userApiSecurityFilterChain(HttpSecurity http, JwtDecoder userJwtDecoder, JsonMapper json,
				UserApiProperties properties) throws Exception {
			AuthenticationEntryPoint unauthorized = (request, response, failure) -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
				boolean missing = request.getHeader(HttpHeaders.AUTHORIZATION) == null;
				write(json, response, HttpServletResponse.SC_UNAUTHORIZED, missing ? "missing_token" : "invalid_token",
						missing ? "This endpoint needs a bearer token: send 'Authorization: Bearer <JWT>'."
								: "The bearer token was rejected (" + failure.getMessage()
										+ "). Sign in again for a fresh token.");
			};
			AccessDeniedHandler forbidden = (request, response, failure) -> write(json, response,
					HttpServletResponse.SC_FORBIDDEN, "forbidden", "This token may not use this endpoint.");
			return http.securityMatcher("/api/**", "/demo/**")
				.authorizeHttpRequests((requests) -> requests
					.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
					.requestMatchers("/demo/**").permitAll()
					.anyRequest().authenticated())
				.csrf((csrf) -> csrf.disable())
				.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
				.requestCache((cache) -> cache.disable())
				.httpBasic((basic) -> basic.disable())
				.formLogin((login) -> login.disable())
				.logout((logout) -> logout.disable())
				.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.decoder(userJwtDecoder))
					.authenticationEntryPoint(unauthorized)
					.accessDeniedHandler(forbidden))
				.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized)
					.accessDeniedHandler(forbidden))
				.addFilterBefore(new RequestBodyLimit(properties.maxBodySize().toBytes()),
						BearerTokenAuthenticationFilter.class)
				.build();
		}

	}

	static void write(JsonMapper json, HttpServletResponse response, int status, String error, String message)
			throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getOutputStream().write(json.writeValueAsBytes(new ApiError(error, message)));
	}

}
