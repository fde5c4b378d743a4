package dev.plaidsync.simulator.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

final class WebhookJson {

	private WebhookJson() {
	}

	static byte[] pretty(Map<String, ?> body) {
		StringBuilder out = new StringBuilder();
		write(out, body, 0);
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static void write(StringBuilder out, Object value, int depth) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof String s) {
			string(out, s);
		}
		else if (value instanceof BigDecimal d) {
			out.append(d.toPlainString());
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			if (map.isEmpty()) {
				out.append("{}");
				return;
			}
			out.append("{\n");
			Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
			while (entries.hasNext()) {
				Map.Entry<?, ?> e = entries.next();
				indent(out, depth + 1);
				string(out, String.valueOf(e.getKey()));
				out.append(": ");
				write(out, e.getValue(), depth + 1);
				out.append(entries.hasNext() ? ",\n" : "\n");
			}
			indent(out, depth);
			out.append('}');
		}
		else if (value instanceof Collection<?> list) {
			if (list.isEmpty()) {
				out.append("[]");
				return;
			}
			out.append("[\n");
			Iterator<?> items = list.iterator();
			while (items.hasNext()) {
				indent(out, depth + 1);
				write(out, items.next(), depth + 1);
				out.append(items.hasNext() ? ",\n" : "\n");
			}
			indent(out, depth);
			out.append(']');
		}
		else {
			string(out, value.toString());
		}
	}

	private static void indent(StringBuilder out, int depth) {
		out.append("  ".repeat(depth));
	}

	private static void string(StringBuilder out, String s) {
		out.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
