package dev.plaidsync.notifications;

import java.time.OffsetDateTime;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event as the app sees it, {@code {"type", "timestamp", "data"}}: the body of an
 * outgoing webhook and the {@code data} of a stream event alike.
 */
final class EventDocument {

	private EventDocument() {
	}

	static String of(JsonMapper json, String type, OffsetDateTime occurredAt, String data) {
		ObjectNode document = json.createObjectNode();
		document.put("type", type);
		document.put("timestamp", occurredAt.toInstant().toString());
		document.set("data", json.readTree(data));
		return json.writeValueAsString(document);
	}

}
