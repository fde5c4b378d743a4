package dev.plaidsync.operations;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Every operator action, who took it, and how it ended. */
@Component
class OpsAudit {

	private final JdbcClient jdbc;

	OpsAudit(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void record(HttpServletRequest request, String action, String target, String result, String detail) {
		this.jdbc.sql("INSERT INTO ops_audit (actor, action, target, result, detail) VALUES (:actor, :action, :target, :result, :detail)")
			.param("actor", actor(request))
			.param("action", action)
			.param("target", target)
			.param("result", result)
			.param("detail", (detail != null && detail.length() > 2000) ? detail.substring(0, 2000) : detail)
			.update();
	}

	List<Entry> recent(int limit) {
		return this.jdbc.sql("SELECT id, at, actor, action, target, result, detail FROM ops_audit ORDER BY at DESC, id DESC LIMIT :limit")
			.param("limit", limit)
			.query(Entry.class)
			.list();
	}

	static String actor(HttpServletRequest request) {
		String named = request.getHeader(OpsSecurityConfiguration.OPERATOR_HEADER);
		String who = (named != null && !named.isBlank()) ? named.strip() : "operator";
		return who.substring(0, Math.min(who.length(), 100)) + "@" + request.getRemoteAddr();
	}

	record Entry(long id, OffsetDateTime at, String actor, String action, String target, String result, String detail) {
	}

}
