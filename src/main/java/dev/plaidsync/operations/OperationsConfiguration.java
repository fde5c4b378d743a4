package dev.plaidsync.operations;

import java.security.SecureRandom;
import java.util.HexFormat;

import dev.plaidsync.common.LocalSecrets;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class OperationsConfiguration {

	static final String TOKEN_VARIABLE = "PLAIDSYNC_OPS_TOKEN";

	@Bean
	FilterRegistrationBean<OpsAuthenticationFilter> opsAuthentication(OpsProperties properties, LocalSecrets secrets) {
		String token = secrets.require(properties.token(), TOKEN_VARIABLE, "ops-token", OperationsConfiguration::newToken);
		FilterRegistrationBean<OpsAuthenticationFilter> registration = new FilterRegistrationBean<>(
				new OpsAuthenticationFilter(token));
		registration.addUrlPatterns("/ops", "/ops/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	private static String newToken() {
		byte[] token = new byte[32];
		new SecureRandom().nextBytes(token);
		return HexFormat.of().formatHex(token);
	}

}
