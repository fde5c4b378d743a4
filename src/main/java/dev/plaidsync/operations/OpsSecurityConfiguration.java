package dev.plaidsync.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.plaidsync.common.LocalSecrets;
import dev.plaidsync.common.RequestBodyLimit;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * The operators' chain: everything under {@code /ops}, matched by Spring Security on the same decoded, normalized path
 * Spring MVC routes on (so {@code /%6Fps/jobs} is {@code /ops/jobs} here too, and the firewall refuses encoded slashes,
 * dot segments and path parameters before any matching). Only the console's page and its two assets load without a
 * token; every other path under {@code /ops} needs {@code Authorization: Bearer <PLAIDSYNC_OPS_TOKEN>}, checked by
 * {@link OperatorTokenAuthenticationProvider} in constant time. Stateless, no CSRF (no cookies), JSON refusals.
 */
@Configuration(proxyBeanMethods = false)
class OpsSecurityConfiguration {

	static final String TOKEN_VARIABLE = "PLAIDSYNC_OPS_TOKEN";

	static final String OPERATOR_HEADER = "X-Operator";

	static final String OPERATOR_ROLE = "OPERATOR";

	/** No operator request carries more than a URL or a scope: 16 KiB is ample. */
	static final long MAX_BODY_BYTES = 16 * 1024;

	@Bean
	OperatorTokenAuthenticationProvider operatorTokenAuthenticationProvider(OpsProperties properties, LocalSecrets secrets) {
		return new OperatorTokenAuthenticationProvider(
				secrets.require(properties.token(), TOKEN_VARIABLE, "ops-token", OpsSecurityConfiguration::newToken));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class OpsFilterChain {

		@Bean
		@Order(1)
		SecurityFilterChain opsSecurityFilterChain(HttpSecurity http, OperatorTokenAuthenticationProvider provider)
				throws Exception {
			AuthenticationEntryPoint unauthorized = (request, response, failure) -> refuse(response,
					(failure instanceof BadCredentialsException) ? "invalid_token" : "missing_token",
					(failure instanceof BadCredentialsException)
							? "The operator token is not the one this engine was given (" + TOKEN_VARIABLE + ")."
							: "Send Authorization: Bearer <" + TOKEN_VARIABLE + ">.");
			AuthenticationFilter tokens = new AuthenticationFilter(new ProviderManager(List.of(provider)),
					new BearerTokenAuthenticationConverter());
			tokens.setSuccessHandler(new ContinueChain());
			tokens.setFailureHandler(new AuthenticationEntryPointFailureHandler(unauthorized));
			return http.securityMatcher("/ops/**")
				.authorizeHttpRequests((requests) -> requests
					.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
					.requestMatchers(HttpMethod.GET, "/ops", "/ops/", "/ops/index.html", "/ops/console.js",
							"/ops/console.css")
					.permitAll()
					.anyRequest().hasRole(OPERATOR_ROLE))
				.addFilterBefore(tokens, AnonymousAuthenticationFilter.class)
				.addFilterAfter(new RequestBodyLimit(MAX_BODY_BYTES), AuthorizationFilter.class)
				.csrf((csrf) -> csrf.disable())
				.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
				.requestCache((cache) -> cache.disable())
				.httpBasic((basic) -> basic.disable())
				.formLogin((login) -> login.disable())
				.logout((logout) -> logout.disable())
				.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized)
					.accessDeniedHandler((request, response, denied) -> refuse(response, "invalid_token",
							"The operator token is not the one this engine was given (" + TOKEN_VARIABLE + ").")))
				.build();
		}

	}

	private static void refuse(HttpServletResponse response, String error, String message) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", "Bearer realm=\"plaid-sync operations\"");
		response.setContentType("application/json");
		response.getOutputStream()
			.write(("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
	}

	private static String newToken() {
		byte[] token = new byte[32];
		new SecureRandom().nextBytes(token);
		return HexFormat.of().formatHex(token);
	}

	/** A bearer token equal to {@code PLAIDSYNC_OPS_TOKEN} (compared in constant time) is the operator. */
	static final class OperatorTokenAuthenticationProvider implements AuthenticationProvider {

		private final byte[] token;

		OperatorTokenAuthenticationProvider(String token) {
			this.token = token.getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public Authentication authenticate(Authentication authentication) throws AuthenticationException {
			byte[] presented = ((BearerTokenAuthenticationToken) authentication).getToken().getBytes(StandardCharsets.UTF_8);
			if (!MessageDigest.isEqual(presented, this.token)) {
				throw new BadCredentialsException("The operator token is not " + TOKEN_VARIABLE);
			}
			return UsernamePasswordAuthenticationToken.authenticated("operator", null,
					AuthorityUtils.createAuthorityList("ROLE_" + OPERATOR_ROLE));
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
		}

	}

	/** A token-authenticated request goes on to its controller; nothing is redirected or remembered. */
	private static final class ContinueChain implements AuthenticationSuccessHandler {

		@Override
		public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
				Authentication authentication) throws IOException, ServletException {
			chain.doFilter(request, response);
		}

		@Override
		public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
				Authentication authentication) {
		}

	}

}
