package dev.plaidsync.portfolio;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * A strong {@code ETag} computed from an answer's content: the SHA-256 of its JSON, less
 * the members that only say when it was computed ({@code generated_at}), so the tag
 * changes exactly when the data does, on every replica and across cache evictions. Spring
 * MVC then answers a GET whose {@code If-None-Match} holds the tag 304 with no body. The
 * answer is {@code Cache-Control: private, no-cache}: a client may keep it, and asks
 * again each time.
 */
@Component
class EntityTags {

	private final JsonMapper json;

	EntityTags(JsonMapper json) {
		this.json = json;
	}

	<T> ResponseEntity<T> tagged(T body, String... computedAtMembers) {
		JsonNode tree = this.json.valueToTree(body);
		if (tree instanceof ObjectNode object) {
			for (String member : computedAtMembers) {
				object.remove(member);
			}
		}
		return ResponseEntity.ok()
			.eTag(tag(this.json.writeValueAsBytes(tree)))
			.cacheControl(CacheControl.noCache().cachePrivate())
			.body(body);
	}

	private static String tag(byte[] content) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
			return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
