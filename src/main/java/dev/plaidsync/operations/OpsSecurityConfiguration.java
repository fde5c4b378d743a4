package dev.plaidsync.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * The operators' chain: everything under {@code /ops}, matched by Spring Security on the
 * same decoded, normalized path Spring MVC routes on (so {@code /%6Fps/jobs} is
 * {@code /ops/jobs} here too, and the firewall refuses encoded slashes, dot segments and
 * path parameters before any matching). Only the console's page and its two assets load
 * without a token; every other path under {@code /ops} needs
 * {@code Authorization: Bearer <PLAIDSYNC_OPS_TOKEN>}, compared in constant time. The
 * token is checked by a provider this chain holds alone (no bean), so no other chain, and
 * no global authentication manager, ever accepts it. Refusals are problems (see
 * {@link Problems}).
 */
@Configuration(proxyBeanMethods = false)
class OpsSecurityConfiguration {

	static final String TOKEN_VARIABLE = "PLAIDSYNC_OPS_TOKEN";

	static final String OPERATOR_HEADER = "X-Operator";

	static final String OPERATOR_ROLE = "OPERATOR";

	/** No operator request carries more than a URL or a scope: 16 KiB is ample. */
	static final long MAX_BODY_BYTES = 16 * 1024;

	@Bean
	OperatorToken operatorToken(OpsProperties properties, LocalSecrets secrets) {
		return new OperatorToken(
				secrets.require(properties.token(), TOKEN_VARIABLE, "ops-token", OpsSecurityConfiguration::newToken));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class OpsFilterChain {

		@Bean
		@Order(1)
		SecurityFilterChain opsSecurityFilterChain(HttpSecurity http, OperatorToken operatorToken,
				ProblemResponses problems, JsonMapper json) throws Exception {
			AuthenticationEntryPoint unauthorized = (request, response, failure) -> refuse(problems, request, response,
					(failure instanceof BadCredentialsException) ? "invalid_token" : "missing_token",
					(failure instanceof BadCredentialsException)
							? "The operator token is not the one this engine was given (" + TOKEN_VARIABLE + ")."
							: "Send Authorization: Bearer <" + TOKEN_VARIABLE + ">.");
			ProviderManager operatorOnly = new ProviderManager(new OperatorTokenAuthenticationProvider(operatorToken));
			AuthenticationFilter tokens = new AuthenticationFilter(operatorOnly,
					new BearerTokenAuthenticationConverter());
			tokens.setSuccessHandler(new ContinueChain());
			tokens.setFailureHandler(new AuthenticationEntryPointFailureHandler(unauthorized));
			return StatelessSecurity.applyTo(http)
				.securityMatcher("/ops/**")
				.authenticationManager(operatorOnly)
				.authorizeHttpRequests(
						(requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
							.permitAll()
							.requestMatchers(HttpMethod.GET, "/ops", "/ops/", "/ops/index.html", "/ops/console.js",
									"/ops/console.css")
							.permitAll()
							.anyRequest()
							.hasRole(OPERATOR_ROLE))
				.addFilterBefore(tokens, AnonymousAuthenticationFilter.class)
				.addFilterAfter(new RequestBodyLimit(MAX_BODY_BYTES, problems), AuthorizationFilter.class)
				.addFilterAfter(InputGuard.forApis(problems, json), RequestBodyLimit.class)
				.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized)
					.accessDeniedHandler(
							(request, response, denied) -> refuse(problems, request, response, "invalid_token",
									"The operator token is not the one this engine was given (" + TOKEN_VARIABLE
											+ ").")))
				.build();
		}

	}

	private static void refuse(ProblemResponses problems, HttpServletRequest request, HttpServletResponse response,
			String error, String message) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"plaid-sync operations\"");
		problems.write(request, response, Problems.problem(HttpStatus.UNAUTHORIZED, error, message));
	}

	private static String newToken() {
		byte[] token = new byte[32];
		new SecureRandom().nextBytes(token);
		return HexFormat.of().formatHex(token);
	}

	/** {@code PLAIDSYNC_OPS_TOKEN}; only the operators' chain reads it. */
	static final class OperatorToken {

		private final byte[] token;

		OperatorToken(String token) {
			this.token = token.getBytes(StandardCharsets.UTF_8);
		}

		boolean matches(String presented) {
			return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), this.token);
		}

	}

	/**
	 * A bearer token equal to {@code PLAIDSYNC_OPS_TOKEN} (compared in constant time) is
	 * the operator.
	 */
	static final class OperatorTokenAuthenticationProvider implements AuthenticationProvider {

		private final OperatorToken token;

		OperatorTokenAuthenticationProvider(OperatorToken token) {
			this.token = token;
		}

		@Override
		public Authentication authenticate(Authentication authentication) throws AuthenticationException {
			if (!this.token.matches(((BearerTokenAuthenticationToken) authentication).getToken())) {
				throw new BadCredentialsException("The bearer token is not " + TOKEN_VARIABLE);
			}
			return UsernamePasswordAuthenticationToken.authenticated("operator", null,
					AuthorityUtils.createAuthorityList("ROLE_" + OPERATOR_ROLE));
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
		}

	}

	/**
	 * A token-authenticated request goes on to its controller; nothing is redirected or
	 * remembered.
	 */
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
