package dev.plaidsync.common;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The one place that checks what a request to an API carries before any of it reaches a
 * controller, SQL or {@code java.time}. Every security chain runs it once the caller is
 * known (and, where the chain has one, after its body limit). Each refusal is a 400
 * {@link Problems problem} ({@code invalid_input}) naming the field:
 * <ul>
 * <li>path segments and query parameters (names and values) must be valid UTF-8 once
 * percent-decoded, hold no control character (U+0000-U+001F, U+007F-U+009F) and no
 * U+FFFD, and be at most {@value #MAX_IDENTIFIER} characters (Plaid's identifiers are
 * under 100);</li>
 * <li>the {@code X-Operator} header likewise; no header value may hold a control
 * character other than tab;</li>
 * <li>in a JSON body, every string and field name holds no control character and is at
 * most {@value #MAX_STRING} characters, and a field whose name ends in {@code id} at most
 * {@value #MAX_IDENTIFIER};</li>
 * <li>any value written as an ISO date or instant ({@code 2025-01-31},
 * {@code 2025-01-31T00:00:00Z}) lies between {@value #MIN_YEAR}-01-01 and
 * {@value #MAX_YEAR}-12-31.</li>
 * </ul>
 * Unknown enum values, mistyped numbers and unreadable JSON are left to the controllers'
 * binding, which answers them 400 too.
 */
public final class InputGuard extends OncePerRequestFilter {

	public static final int MAX_IDENTIFIER = 128;

	public static final int MAX_STRING = 2048;

	public static final int MIN_YEAR = 1900;

	public static final int MAX_YEAR = 2200;

	private static final Pattern ISO_DATE = Pattern.compile("^([+-]?\\d{4,})-(\\d{2})-(\\d{2})(?:$|T)");

	private static final String[] READ_HEADERS = { "X-Operator" };

	private final ProblemResponses problems;

	private final JsonMapper json;

	private final String pathPrefix;

	private InputGuard(ProblemResponses problems, JsonMapper json, String pathPrefix) {
		this.problems = problems;
		this.json = json;
		this.pathPrefix = pathPrefix;
	}

	/** For a chain of APIs with a body limit: every check, JSON bodies included. */
	public static InputGuard forApis(ProblemResponses problems, JsonMapper json) {
		return new InputGuard(problems, json, "/");
	}

	/**
	 * For paths under {@code prefix} of a chain with no body limit: all but the JSON body
	 * checks, since the endpoint reads (and bounds) its body itself.
	 */
	public static InputGuard withoutBodyChecks(ProblemResponses problems, String prefix) {
		return new InputGuard(problems, null, prefix);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith(this.pathPrefix);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpServletRequest checked;
		try {
			checkPath(request.getRequestURI());
			checkQuery(request.getQueryString());
			checkHeaders(request);
			checked = checkJsonBody(request);
		}
		catch (RejectedInput rejected) {
			this.problems.write(request, response,
					Problems.problem(HttpStatus.BAD_REQUEST, "invalid_input", rejected.getMessage()));
			return;
		}
		chain.doFilter(checked, response);
	}

	private static void checkPath(String rawPath) {
		String[] segments = rawPath.split("/", -1);
		for (int i = 0; i < segments.length; i++) {
			check("path segment " + i, percentDecode("path segment " + i, segments[i], false), MAX_IDENTIFIER);
		}
	}

	private static void checkQuery(String query) {
		if (query == null || query.isEmpty()) {
			return;
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String rawName = (equals < 0) ? pair : pair.substring(0, equals);
			String name = percentDecode("a query parameter's name", rawName, true);
			check("the name of query parameter '" + abbreviate(name) + "'", name, MAX_IDENTIFIER);
			if (equals >= 0) {
				String field = "query parameter '" + name + "'";
				check(field, percentDecode(field, pair.substring(equals + 1), true), MAX_IDENTIFIER);
			}
		}
	}

	private static void checkHeaders(HttpServletRequest request) {
		for (String name : Collections.list(request.getHeaderNames())) {
			for (String value : Collections.list(request.getHeaders(name))) {
				for (int i = 0; i < value.length(); i++) {
					char c = value.charAt(i);
					if (c != '\t' && isControl(c)) {
						throw new RejectedInput("header " + name + " holds a control character (U+"
								+ String.format("%04X", (int) c) + ")");
					}
				}
			}
		}
		for (String name : READ_HEADERS) {
			String value = request.getHeader(name);
			if (value != null) {
				check("header " + name, value, MAX_IDENTIFIER);
			}
		}
	}

	private HttpServletRequest checkJsonBody(HttpServletRequest request) throws IOException {
		String type = request.getContentType();
		if (this.json == null || type == null || request.getContentLengthLong() == 0 || !isJson(type)) {
			return request;
		}
		byte[] body = request.getInputStream().readAllBytes();
		JsonNode tree;
		try {
			tree = this.json.readTree(body);
		}
		catch (JacksonException unreadable) {
			return new CachedBody(request, body);
		}
		if (tree != null) {
			checkJson("$", null, tree);
		}
		return new CachedBody(request, body);
	}

	private static void checkJson(String pointer, String fieldName, JsonNode node) {
		if (node.isString()) {
			boolean identifier = fieldName != null && fieldName.toLowerCase(Locale.ROOT).endsWith("id");
			check("JSON field " + pointer, node.asString(), identifier ? MAX_IDENTIFIER : MAX_STRING);
		}
		else if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				check("a JSON field name in " + pointer, field.getKey(), MAX_IDENTIFIER);
				checkJson(pointer + "." + field.getKey(), field.getKey(), field.getValue());
			}
		}
		else if (node.isArray()) {
			Iterator<JsonNode> elements = node.iterator();
			for (int i = 0; elements.hasNext(); i++) {
				checkJson(pointer + "[" + i + "]", fieldName, elements.next());
			}
		}
	}

	private static void check(String field, String value, int maxLength) {
		if (value.length() > maxLength) {
			throw new RejectedInput(
					field + " is " + value.length() + " characters long; at most " + maxLength + " are accepted.");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (isControl(c) || c == '\uFFFD') {
				throw new RejectedInput(field + " holds "
						+ ((c == '\uFFFD') ? "a character that is not valid UTF-8"
								: "a control character (U+" + String.format("%04X", (int) c) + ")")
						+ "; send printable text.");
			}
		}
		Matcher date = ISO_DATE.matcher(value);
		if (date.find()) {
			String year = date.group(1);
			boolean inRange = year.length() <= 6 && Integer.parseInt(year) >= MIN_YEAR
					&& Integer.parseInt(year) <= MAX_YEAR;
			if (!inRange) {
				throw new RejectedInput(field + " is '" + abbreviate(value) + "'; dates and instants must lie between "
						+ MIN_YEAR + "-01-01 and " + MAX_YEAR + "-12-31.");
			}
		}
	}

	private static boolean isControl(char c) {
		return c < 0x20 || (c >= 0x7F && c <= 0x9F);
	}

	private static String percentDecode(String field, String raw, boolean plusIsSpace) {
		if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
			return raw;
		}
		ByteBuffer bytes = ByteBuffer.allocate(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				int value = (i + 2 < raw.length()) ? hex(raw.charAt(i + 1), raw.charAt(i + 2)) : -1;
				if (value < 0) {
					throw new RejectedInput(field + " has a malformed percent-encoding; encode '%' as %25.");
				}
				bytes.put((byte) value);
				i += 2;
			}
			else if (c == '+' && plusIsSpace) {
				bytes.put((byte) ' ');
			}
			else if (c > 0x7F) {
				return raw;
			}
			else {
				bytes.put((byte) c);
			}
		}
		bytes.flip();
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(bytes)
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new RejectedInput(field + " is not valid UTF-8 once percent-decoded; send UTF-8 text.");
		}
	}

	private static int hex(char high, char low) {
		int h = Character.digit(high, 16);
		int l = Character.digit(low, 16);
		return (h < 0 || l < 0) ? -1 : (h << 4) | l;
	}

	private static boolean isJson(String contentType) {
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json");
		}
		catch (IllegalArgumentException unparsable) {
			return false;
		}
	}

	static String abbreviate(String value) {
		return (value.length() > 80) ? value.substring(0, 80) + "..." : value;
	}

	/**
	 * What {@link InputGuard} refuses, as its message says; answered 400
	 * {@code invalid_input}.
	 */
	public static final class RejectedInput extends IllegalArgumentException {

		RejectedInput(String message) {
			super(message);
		}

	}

	/**
	 * The request with its body read once for the checks and served again, unchanged, to
	 * the controller.
	 */
	private static final class CachedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		CachedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("the body was already read");
				}

			};
		}

		@Override
		public java.io.BufferedReader getReader() {
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

	}

}
