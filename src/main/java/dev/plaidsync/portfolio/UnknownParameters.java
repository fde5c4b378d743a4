package dev.plaidsync.portfolio;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A query-string parameter that a user-API endpoint does not take is a 400 naming those
 * it takes, thrown as an {@link ApiException} so the user API's error handler answers it;
 * before, it was ignored and the answer looked as if it had been applied.
 */
@Configuration(proxyBeanMethods = false)
class UnknownParameters implements WebMvcConfigurer, HandlerInterceptor {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/api/**");
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			return true;
		}
		List<String> accepted = Arrays.stream(method.getMethodParameters())
			.map((parameter) -> parameter.getParameterAnnotation(RequestParam.class))
			.filter(Objects::nonNull)
			.map((param) -> param.name().isEmpty() ? param.value() : param.name())
			.sorted()
			.toList();
		String query = request.getQueryString();
		if (query == null || query.isEmpty()) {
			return true;
		}
		for (String name : UriComponentsBuilder.fromUriString("?" + query).build().getQueryParams().keySet()) {
			if (!accepted.contains(name)) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "unknown_parameter",
						request.getMethod() + " " + request.getRequestURI() + " does not take '"
								+ ApiException.abbreviate(name) + "'; "
								+ (accepted.isEmpty() ? "it takes no query parameters."
										: "it takes " + String.join(", ", accepted) + "."));
			}
		}
		return true;
	}

}
