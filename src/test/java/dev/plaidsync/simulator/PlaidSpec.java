package dev.plaidsync.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Plaid's OpenAPI 3.0 spec as JSON Schema 2020-12, for contract checks with networknt.
 * <p>
 * OpenAPI 3.0's {@code nullable: true} is not JSON Schema, so the spec is rewritten once
 * before it is registered: a schema with {@code type: T} becomes
 * {@code type: [T, "null"]} (and {@code null} joins its {@code enum}); a schema without
 * {@code type} (only {@code $ref}, {@code allOf}, {@code properties}) is wrapped as
 * {@code anyOf: [{type: null}, {...the schema}]}. OpenAPI 3.0's boolean
 * {@code exclusiveMinimum: false} is dropped. A {@code $ref} with siblings is wrapped in
 * {@code allOf} with only the ref kept, as OpenAPI 3.0 ignores the siblings. Vendor
 * keywords ({@code x-...}) are dropped.
 */
final class PlaidSpec {

	static final String IRI = "https://plaid.example/openapi-2020-09-14.json";

	private static volatile PlaidSpec instance;

	private final JsonNode schemas;

	private final SchemaRegistry registry;

	private final Map<String, Schema> cache = new java.util.concurrent.ConcurrentHashMap<>();

	static PlaidSpec get() {
		if (instance == null) {
			synchronized (PlaidSpec.class) {
				if (instance == null) {
					instance = new PlaidSpec();
				}
			}
		}
		return instance;
	}

	private PlaidSpec() {
		JsonNode spec;
		try (InputStream in = PlaidSpec.class.getResourceAsStream("/plaid/openapi-2020-09-14.yml")) {
			spec = new YAMLMapper().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ObjectNode converted = JsonMapper.shared().createObjectNode();
		converted.putObject("components").set("schemas", toJsonSchema(spec.path("components").path("schemas")));
		this.schemas = converted.path("components").path("schemas");
		String text = JsonMapper.shared().writeValueAsString(converted);
		this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
				builder -> builder.schemas(Map.of(IRI, text)));
	}

	List<String> validate(String schemaName, JsonNode instance) {
		if (!schemas.has(schemaName)) {
			throw new IllegalArgumentException("no schema " + schemaName + " in the spec");
		}
		Schema schema = cache.computeIfAbsent(schemaName,
				name -> registry.getSchema(SchemaLocation.of(IRI + "#/components/schemas/" + name)));
		List<String> messages = new ArrayList<>();
		for (Error error : schema.validate(instance)) {
			messages.add(error.toString());
		}
		return messages;
	}

	/**
	 * Fields of {@code instance}, at every level, that the schema does not declare in any
	 * {@code properties}.
	 */
	List<String> undeclaredFields(String schemaName, JsonNode instance) {
		List<String> problems = new ArrayList<>();
		walk(List.of(schemas.path(schemaName)), instance, "$", problems, 0);
		return problems;
	}

	private void walk(List<JsonNode> schemaList, JsonNode instance, String path, List<String> problems, int depth) {
		if (depth > 40 || instance == null || instance.isNull()) {
			return;
		}
		if (instance.isArray()) {
			List<JsonNode> itemSchemas = new ArrayList<>();
			schemaList.forEach(schema -> collect(schema, itemSchemas, "items"));
			int i = 0;
			for (JsonNode element : instance) {
				walk(itemSchemas, element, path + "[" + i + "]", problems, depth + 1);
				i++;
			}
			return;
		}
		if (!instance.isObject()) {
			return;
		}
		List<JsonNode> propertySets = new ArrayList<>();
		schemaList.forEach(schema -> collect(schema, propertySets, "properties"));
		if (propertySets.isEmpty()) {
			return;
		}
		for (Map.Entry<String, JsonNode> field : instance.properties()) {
			List<JsonNode> fieldSchemas = new ArrayList<>();
			for (JsonNode properties : propertySets) {
				if (properties.has(field.getKey())) {
					fieldSchemas.add(properties.get(field.getKey()));
				}
			}
			if (fieldSchemas.isEmpty()) {
				problems.add(path + "." + field.getKey() + " is not declared in the schema");
				continue;
			}
			walk(fieldSchemas, field.getValue(), path + "." + field.getKey(), problems, depth + 1);
		}
	}

	private void collect(JsonNode schema, List<JsonNode> found, String keyword) {
		JsonNode resolved = resolve(schema);
		if (resolved.has(keyword)) {
			found.add(resolved.get(keyword));
		}
		for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
			for (JsonNode part : resolved.path(combinator)) {
				collect(part, found, keyword);
			}
		}
	}

	private JsonNode resolve(JsonNode schema) {
		JsonNode current = schema;
		for (int i = 0; i < 20 && current.has("$ref"); i++) {
			String ref = current.get("$ref").asString();
			current = schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
		}
		return current;
	}

	private static JsonNode toJsonSchema(JsonNode node) {
		if (node.isArray()) {
			ArrayNode copy = JsonMapper.shared().createArrayNode();
			node.forEach(element -> copy.add(toJsonSchema(element)));
			return copy;
		}
		if (!node.isObject()) {
			return node;
		}
		ObjectNode copy = JsonMapper.shared().createObjectNode();
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			if (field.getKey().startsWith("x-") && !(field.getValue().isObject() && field.getValue().has("type"))) {
				continue;
			}
			copy.set(field.getKey(), toJsonSchema(field.getValue()));
		}
		JsonNode exclusiveMinimum = copy.get("exclusiveMinimum");
		if (exclusiveMinimum != null && exclusiveMinimum.isBoolean()) {
			copy.remove("exclusiveMinimum");
		}
		JsonNode exclusiveMaximum = copy.get("exclusiveMaximum");
		if (exclusiveMaximum != null && exclusiveMaximum.isBoolean()) {
			copy.remove("exclusiveMaximum");
		}
		if (copy.has("$ref") && copy.size() > 1) {
			ObjectNode ref = JsonMapper.shared().createObjectNode();
			ref.set("$ref", copy.remove("$ref"));
			boolean nullable = copy.path("nullable").asBoolean(false);
			copy.removeAll();
			copy.putArray("allOf").add(ref);
			if (nullable) {
				copy.put("nullable", true);
			}
		}
		JsonNode nullable = copy.remove("nullable");
		if (nullable == null || !nullable.asBoolean(false)) {
			return copy;
		}
		JsonNode type = copy.get("type");
		if (type != null && type.isString()) {
			ArrayNode types = copy.putArray("type");
			types.add(type.asString());
			types.add("null");
			JsonNode values = copy.get("enum");
			if (values != null && values.isArray()) {
				boolean hasNull = false;
				for (Iterator<JsonNode> it = values.iterator(); it.hasNext();) {
					hasNull |= it.next().isNull();
				}
				if (!hasNull) {
					((ArrayNode) values).addNull();
				}
			}
			return copy;
		}
		ObjectNode wrapper = JsonMapper.shared().createObjectNode();
		ArrayNode anyOf = wrapper.putArray("anyOf");
		anyOf.addObject().put("type", "null");
		anyOf.add(copy);
		return wrapper;
	}

}
