package dev.plaidsync.security;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The engine's routes as its own handler mapping lists them, with what each takes (path
 * variables, query parameters, JSON body fields), so that a test over them covers a new
 * endpoint without anyone adding it.
 */
record EngineRoutes(List<Route> routes) {

	record Route(String method, String pattern, List<String> pathVariables, List<String> queryParameters,
			List<String> bodyFields, boolean streams) {

		boolean under(String prefix) {
			return this.pattern.equals(prefix) || this.pattern.startsWith(prefix + "/");
		}

		boolean changesState() {
			return Set.of("POST", "PUT", "PATCH", "DELETE").contains(this.method);
		}

		String path(Map<String, String> values) {
			String path = this.pattern;
			for (String variable : this.pathVariables) {
				path = path.replace("{" + variable + "}", values.getOrDefault(variable, "x"));
			}
			return path;
		}

		@Override
		public String toString() {
			return this.method + " " + this.pattern;
		}

	}

	static EngineRoutes of(RequestMappingHandlerMapping mapping) {
		List<Route> routes = new ArrayList<>();
		for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
			RequestMappingInfo info = entry.getKey();
			HandlerMethod handler = entry.getValue();
			List<String> variables = new ArrayList<>();
			List<String> parameters = new ArrayList<>();
			List<String> fields = new ArrayList<>();
			for (MethodParameter parameter : handler.getMethodParameters()) {
				parameter.initParameterNameDiscovery(new org.springframework.core.DefaultParameterNameDiscoverer());
				PathVariable variable = parameter.getParameterAnnotation(PathVariable.class);
				if (variable != null) {
					variables.add(name(variable.name(), parameter));
				}
				RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
				if (param != null) {
					parameters.add(name(param.name(), parameter));
				}
				if (parameter.hasParameterAnnotation(RequestBody.class) && parameter.getParameterType().isRecord()) {
					for (RecordComponent component : parameter.getParameterType().getRecordComponents()) {
						JsonProperty property = component.getAnnotation(JsonProperty.class);
						fields.add((property != null) ? property.value() : component.getName());
					}
				}
			}
			boolean streams = info.getProducesCondition()
				.getProducibleMediaTypes()
				.stream()
				.anyMatch((type) -> type.getSubtype().equals("event-stream"));
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			for (String pattern : info.getPatternValues()) {
				for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
					routes.add(new Route(method.name(), pattern, variables, parameters, fields, streams));
				}
			}
		}
		routes.sort(java.util.Comparator.comparing(Route::toString));
		return new EngineRoutes(routes);
	}

	private static String name(String declared, MethodParameter parameter) {
		return declared.isEmpty() ? parameter.getParameterName() : declared;
	}

	List<Route> under(String... prefixes) {
		return this.routes.stream()
			.filter((route) -> java.util.Arrays.stream(prefixes).anyMatch(route::under))
			.toList();
	}

}
