package dev.plaidsync.portfolio;

import jakarta.servlet.DispatcherType;

import tools.jackson.databind.json.JsonMapper;

import dev.plaidsync.common.InputGuard;
import dev.plaidsync.common.LocalSecrets;
import dev.plaidsync.common.ProblemResponses;
import dev.plaidsync.common.Problems;
import dev.plaidsync.common.RequestBodyLimit;
import dev.plaidsync.common.StatelessSecurity;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Users' requests under {@code /api/**} carry a bearer JWT (see {@link UserTokens});
 * {@code /demo/**} is open, and exists only in simulator mode. The chain authenticates
 * with the user JWT decoder alone (an authentication manager of its own, with no parent),
 * and admits only a JWT authentication, so no other credential of the engine (the
 * operator token) is ever accepted here and a controller always gets a JWT. Stateless,
 * and every refusal is a problem (see {@link Problems}): 401 for a missing, expired,
 * forged or wrongly signed token (503 when the identity provider's keys cannot be
 * fetched), never a redirect or a login page. The one exception is the event stream,
 * {@code GET /api/portfolio/stream}, which also opens with a single-use stream ticket in
 * its query string ({@link StreamTicketFilter}), as a browser's {@code EventSource}
 * cannot send a header. Ordered after the operators' chain ({@code /ops/**}, order 1) and
 * before the open fallback chain.
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
		SecurityFilterChain userApiSecurityFilterChain(HttpSecurity http, JwtDecoder userJwtDecoder,
				ProblemResponses problems, JsonMapper json, UserApiProperties properties, StreamTickets tickets)
				throws Exception {
			AuthenticationEntryPoint unauthorized = (request, response, failure) -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
				boolean missing = request.getHeader(HttpHeaders.AUTHORIZATION) == null;
				problems.write(request, response,
						Problems.problem(HttpStatus.UNAUTHORIZED, missing ? "missing_token" : "invalid_token",
								missing ? "This endpoint needs a user's JWT: send 'Authorization: Bearer <JWT>'."
										: "The bearer token is not a valid user JWT (" + failure.getMessage()
												+ "). Sign in again for a fresh token."));
			};
			AccessDeniedHandler forbidden = (request, response, failure) -> problems.write(request, response,
					Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "This token may not use this endpoint."));
			AuthenticationFailureHandler failed = (request, response, failure) -> {
				if (failure instanceof AuthenticationServiceException) {
					problems.write(request, response, Problems.retryLater(HttpStatus.SERVICE_UNAVAILABLE,
							"auth_unavailable",
							"Users' JWTs cannot be checked right now (the identity provider's keys did not answer); "
									+ "nothing was done. Try again shortly.",
							30));
					return;
				}
				unauthorized.commence(request, response, failure);
			};
			ProviderManager jwtOnly = new ProviderManager(new JwtAuthenticationProvider(userJwtDecoder));
			return StatelessSecurity.applyTo(http)
				.securityMatcher("/api/**", "/demo/**")
				.authenticationManager(jwtOnly)
				.authorizeHttpRequests((requests) -> requests
					.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
					.permitAll()
					.requestMatchers("/demo/**")
					.permitAll()
					.requestMatchers(HttpMethod.GET, UserApiDescription.PATH)
					.permitAll()
					.requestMatchers(HttpMethod.GET, StreamTicketFilter.PATH)
					.access((authentication,
							request) -> new AuthorizationDecision(authentication.get() instanceof JwtAuthenticationToken
									|| authentication.get() instanceof StreamTicketAuthentication))
					.anyRequest()
					.access((authentication, request) -> new AuthorizationDecision(
							authentication.get() instanceof JwtAuthenticationToken)))
				.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.authenticationManager(jwtOnly))
					.authenticationEntryPoint(unauthorized)
					.accessDeniedHandler(forbidden)
					.withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {

						@Override
						public <F extends BearerTokenAuthenticationFilter> F postProcess(F filter) {
							filter.setAuthenticationFailureHandler(failed);
							return filter;
						}

					}))
				.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized)
					.accessDeniedHandler(forbidden))
				.addFilterBefore(new RequestBodyLimit(properties.maxBodySize().toBytes(), problems),
						BearerTokenAuthenticationFilter.class)
				.addFilterBefore(new StreamTicketFilter(tickets, problems), BearerTokenAuthenticationFilter.class)
				.addFilterAfter(InputGuard.forApis(problems, json), AuthorizationFilter.class)
				.build();
		}

	}

}
