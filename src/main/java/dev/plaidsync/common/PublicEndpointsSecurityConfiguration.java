package dev.plaidsync.common;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.DispatcherType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The last security filter chain, for everything the operators' ({@code /ops/**}) and
 * users' ({@code /api/**}) chains do not claim. It lists what is public and denies the
 * rest:
 * <ul>
 * <li>Plaid's webhook intake ({@code POST /webhook/plaid}, which checks Plaid's signed
 * JWT itself) and its health;</li>
 * <li>the probes: {@code /livez} and {@code /readyz} (status only) and
 * {@code /actuator/health} (on the management port, with its components' details);</li>
 * <li>every actuator endpoint on the management port ({@code management.server.port},
 * where Prometheus scrapes and which no Ingress routes);</li>
 * <li>the simulator's Plaid API and control API, in simulator mode only.</li>
 * </ul>
 * Any other path answers 404 before it reaches Spring MVC, whatever its spelling.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class PublicEndpointsSecurityConfiguration {

	@Bean
	ManagementPort managementPort() {
		return new ManagementPort();
	}

	@Bean
	ProblemResponses problemResponses(JsonMapper json) {
		return new ProblemResponses(json);
	}

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	SecurityFilterChain publicEndpointsSecurityFilterChain(HttpSecurity http, ManagementPort managementPort,
			Environment environment, ProblemResponses problems) throws Exception {
		boolean simulator = DeploymentMode.isSimulator(environment);
		return StatelessSecurity.applyTo(http).authorizeHttpRequests((requests) -> {
			requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
				.permitAll()
				.requestMatchers(managementPort)
				.permitAll()
				.requestMatchers(HttpMethod.POST, "/webhook/plaid")
				.permitAll()
				.requestMatchers(HttpMethod.GET, "/webhook/plaid/health", "/livez", "/readyz", "/actuator/health",
						"/actuator/health/**")
				.permitAll();
			if (simulator) {
				requests.requestMatchers("/simulator/**").permitAll();
			}
			requests.anyRequest().denyAll();
		})
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(
						(request, response, failure) -> problems.write(request, response, nothingHere()))
				.accessDeniedHandler((request, response, denied) -> problems.write(request, response, nothingHere())))
			.addFilterAfter(InputGuard.withoutBodyChecks(problems, "/webhook/"), AuthorizationFilter.class)
			.build();
	}

	private static ProblemDetail nothingHere() {
		return Problems.problem(HttpStatus.NOT_FOUND, "not_found", "There is nothing at this path.");
	}

	/**
	 * Matches requests that arrived on the management server's port, once that server has
	 * started in its own child context; with no separate management server it matches
	 * nothing.
	 */
	static final class ManagementPort implements RequestMatcher, ApplicationListener<WebServerInitializedEvent> {

		private final AtomicInteger port = new AtomicInteger(-1);

		@Override
		public void onApplicationEvent(WebServerInitializedEvent event) {
			if ("management".equals(event.getApplicationContext().getServerNamespace())) {
				this.port.set(event.getWebServer().getPort());
			}
		}

		@Override
		public boolean matches(jakarta.servlet.http.HttpServletRequest request) {
			int management = this.port.get();
			return management > 0 && request.getLocalPort() == management;
		}

	}

}
