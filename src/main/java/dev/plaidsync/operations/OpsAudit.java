package dev.plaidsync.operations;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import dev.plaidsync.common.Page;
import dev.plaidsync.common.PageRequest;

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
		this.jdbc.sql(
				"INSERT INTO ops_audit (actor, action, target, result, detail) VALUES (:actor, :action, :target, :result, :detail)")
			.param("actor", actor(request))
			.param("action", action)
			.param("target", target)
			.param("result", result)
			.param("detail", (detail != null && detail.length() > 2000) ? detail.substring(0, 2000) : detail)
			.update();
	}

	/**
	 * Newest first, with how many entries there are (capped count); both walk
	 * {@code idx_ops_audit_newest}.
	 */
	Page<Entry> recent(PageRequest request) {
		List<Entry> entries = this.jdbc.sql("""
				SELECT id, at, actor, action, target, result, detail FROM ops_audit
				ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset
				""").param("limit", request.size()).param("offset", request.offset()).query(Entry.class).list();
		long counted = this.jdbc.sql("SELECT count(*) FROM (SELECT 1 FROM ops_audit LIMIT :cap) AS matching")
			.param("cap", Page.COUNT_LIMIT)
			.query(Long.class)
			.single();
		return Page.of(entries, counted);
	}

	static String actor(HttpServletRequest request) {
		String named = request.getHeader(OpsSecurityConfiguration.OPERATOR_HEADER);
		String who = (named != null && !named.isBlank()) ? named.strip() : "operator";
		return who.substring(0, Math.min(who.length(), 100)) + "@" + request.getRemoteAddr();
	}

	record Entry(long id, OffsetDateTime at, String actor, String action, String target, String result, String detail) {
	}

}
