package dev.plaidsync.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * fabric8 never fails on an unknown field: it keeps it in the object's
 * {@code additionalProperties}. This parses a document into its typed kind and walks
 * every nested model object, collecting each unknown field with its path.
 */
final class StrictKubernetesParsing {

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	private StrictKubernetesParsing() {
	}

	/** The typed object; fails on a kind fabric8 does not model. */
	static HasMetadata parseTyped(String yaml) {
		Object parsed = SERIALIZATION.unmarshal(yaml);
		if (!(parsed instanceof HasMetadata resource) || parsed instanceof GenericKubernetesResource) {
			throw new AssertionError(
					"not a kind fabric8 models: " + (parsed == null ? "null" : parsed.getClass().getName()));
		}
		return resource;
	}

	/**
	 * Every unknown field, as {@code path.to.field}; empty when the document is all known
	 * fields.
	 */
	static List<String> unknownFields(Object root) {
		List<String> unknown = new ArrayList<>();
		walk(root, "", unknown, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
		return unknown;
	}

	private static void walk(Object node, String path, List<String> unknown, Set<Object> seen) {
		if (node == null || !seen.add(node)) {
			return;
		}
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> walk(value, path + "[" + key + "]", unknown, seen));
			return;
		}
		if (node instanceof Collection<?> items) {
			int i = 0;
			for (Object item : items) {
				walk(item, path + "[" + i++ + "]", unknown, seen);
			}
			return;
		}
		if (!node.getClass().getName().startsWith("io.fabric8.")) {
			return;
		}
		for (Method getter : node.getClass().getMethods()) {
			if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
					|| getter.getDeclaringClass() == Object.class) {
				continue;
			}
			String name = getter.getName();
			if (!name.startsWith("get") || name.length() == 3) {
				continue;
			}
			Object value = invoke(getter, node);
			if (name.equals("getAdditionalProperties")) {
				if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
					extra.keySet().forEach((key) -> unknown.add(join(path, String.valueOf(key))));
				}
				continue;
			}
			walk(value, join(path, Character.toLowerCase(name.charAt(3)) + name.substring(4)), unknown, seen);
		}
	}

	private static String join(String path, String field) {
		return path.isEmpty() ? field : path + "." + field;
	}

	private static Object invoke(Method getter, Object target) {
		try {
			return getter.invoke(target);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			return null;
		}
	}

}
