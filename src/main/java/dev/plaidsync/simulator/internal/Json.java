package dev.plaidsync.simulator.internal;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

final class Json {

	private static final JsonMapper PLAID = JsonMapper.builder()
		.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
		.build();

	private static final JsonMapper CONTROL = JsonMapper.builder()
		.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	private Json() {
	}

	static JsonNode read(byte[] body) {
		if (body == null || body.length == 0) {
			return PLAID.createObjectNode();
		}
		try {
			JsonNode node = PLAID.readTree(body);
			if (node == null || !node.isObject()) {
				throw PlaidException.invalidBody();
			}
			return node;
		}
		catch (JacksonException ex) {
			throw PlaidException.invalidBody();
		}
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (value.isMissingNode() || value.isNull()) {
			return null;
		}
		return value.isString() ? value.stringValue() : value.toString();
	}

	static ResponseEntity<byte[]> plaid(int status, Object body) {
		return ResponseEntity.status(HttpStatus.valueOf(status))
			.contentType(MediaType.APPLICATION_JSON)
			.body(PLAID.writeValueAsBytes(body));
	}

	static ResponseEntity<byte[]> control(int status, Object body) {
		return ResponseEntity.status(HttpStatus.valueOf(status))
			.contentType(MediaType.APPLICATION_JSON)
			.body(CONTROL.writeValueAsBytes(body));
	}

}
