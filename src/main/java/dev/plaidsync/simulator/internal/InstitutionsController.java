package dev.plaidsync.simulator.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * Plaid's {@code /institutions/get}, {@code /institutions/get_by_id} and
 * {@code /institutions/search} over the simulator's {@link InstitutionCatalogue}:
 * required fields, country and product filters, paging and the optional metadata as the
 * spec describes them, and INVALID_INSTITUTION for an id Plaid does not know.
 */
@RestController
@ConditionalOnSimulator
@RequestMapping("/simulator/plaid")
class InstitutionsController {

	private static final int SEARCH_LIMIT = 10;

	private final SimulatorEngine engine;

	InstitutionsController(SimulatorEngine engine) {
		this.engine = engine;
	}

	@PostMapping("/institutions/get")
	ResponseEntity<byte[]> get(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		JsonNode body = begin("/institutions/get", raw, headers);
		requireFields(body, "count", "offset", "country_codes");
		int count = integer(body, "count", 1, 500);
		int offset = integer(body, "offset", 0, Integer.MAX_VALUE);
		List<String> countries = countryCodes(body.path("country_codes"), true);
		JsonNode options = options(body);
		Predicate<InstitutionCatalogue.Entry> filter = inCountries(countries).and(products(options.path("products")))
			.and(oauth(options.path("oauth")))
			.and(routingNumbers(options.path("routing_numbers")));
		List<InstitutionCatalogue.Entry> matching = InstitutionCatalogue.ALL.stream().filter(filter).toList();
		List<Map<String, Object>> page = matching.stream()
			.skip(offset)
			.limit(count)
			.map(entry -> institution(entry, options, false))
			.toList();
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("institutions", page);
		answer.put("total", matching.size());
		answer.put("request_id", SimulatorEngine.requestId());
		return Json.plaid(200, answer);
	}

	@PostMapping("/institutions/get_by_id")
	ResponseEntity<byte[]> getById(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		JsonNode body = begin("/institutions/get_by_id", raw, headers);
		requireFields(body, "institution_id", "country_codes");
		String institutionId = Json.text(body, "institution_id");
		List<String> countries = countryCodes(body.path("country_codes"), false);
		JsonNode options = options(body);
		InstitutionCatalogue.Entry entry = InstitutionCatalogue.byId(institutionId);
		if (entry == null || (!countries.isEmpty() && !inCountries(countries).test(entry))) {
			throw PlaidException.invalidInstitution();
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("institution", institution(entry, options, options.path("include_status").asBoolean(false)));
		answer.put("request_id", SimulatorEngine.requestId());
		return Json.plaid(200, answer);
	}

	@PostMapping("/institutions/search")
	ResponseEntity<byte[]> search(@RequestBody(required = false) byte[] raw, @RequestHeader HttpHeaders headers) {
		JsonNode body = begin("/institutions/search", raw, headers);
		requireFields(body, "query", "country_codes");
		String query = Json.text(body, "query");
		if (!body.path("query").isString() || query.isBlank()) {
			throw PlaidException.invalidField("query must be a non-empty string");
		}
		List<String> countries = countryCodes(body.path("country_codes"), false);
		JsonNode options = options(body);
		Predicate<InstitutionCatalogue.Entry> filter = inCountries(countries).and(products(body.path("products")))
			.and(oauth(options.path("oauth")))
			.and(nameMatches(query));
		List<Map<String, Object>> found = InstitutionCatalogue.ALL.stream()
			.filter(filter)
			.limit(SEARCH_LIMIT)
			.map(entry -> institution(entry, options, false))
			.toList();
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("institutions", found);
		answer.put("request_id", SimulatorEngine.requestId());
		return Json.plaid(200, answer);
	}

	@ExceptionHandler(PlaidException.class)
	ResponseEntity<byte[]> plaidError(PlaidException ex) {
		return Json.plaid(ex.status, PlaidJson.error(ex, SimulatorEngine.requestId()));
	}

	private JsonNode begin(String endpoint, byte[] raw, HttpHeaders headers) {
		JsonNode body = Json.read(raw);
		String clientId = firstNonBlank(headers.getFirst("PLAID-CLIENT-ID"), Json.text(body, "client_id"));
		String secret = firstNonBlank(headers.getFirst("PLAID-SECRET"), Json.text(body, "secret"));
		this.engine.checkCredentials(endpoint, clientId, secret, null);
		this.engine.begin(endpoint, clientId, null, false);
		return body;
	}

	private static String firstNonBlank(String a, String b) {
		if (a != null && !a.isBlank()) {
			return a;
		}
		return b != null && !b.isBlank() ? b : null;
	}

	private static void requireFields(JsonNode body, String... fields) {
		List<String> missing = new ArrayList<>();
		for (String field : fields) {
			if (body.path(field).isMissingNode() || body.path(field).isNull()) {
				missing.add(field);
			}
		}
		if (!missing.isEmpty()) {
			throw PlaidException.missingField(String.join(", ", missing));
		}
	}

	private static int integer(JsonNode body, String field, int min, int max) {
		JsonNode value = body.path(field);
		if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
			throw PlaidException.invalidField(max == Integer.MAX_VALUE ? field + " must be a non-negative integer"
					: field + " must be an integer between " + min + " and " + max + ", inclusive");
		}
		return value.asInt();
	}

	private static List<String> countryCodes(JsonNode codes, boolean atLeastOne) {
		if (!codes.isArray() || (atLeastOne && codes.isEmpty())) {
			throw PlaidException
				.invalidField("country_codes must be a non-empty array of ISO-3166-1 alpha-2 country codes");
		}
		List<String> countries = new ArrayList<>();
		for (JsonNode code : codes) {
			if (!code.isString() || !InstitutionCatalogue.COUNTRY_CODES.contains(code.asString())) {
				throw PlaidException.invalidField("country_codes contains an unsupported country code: " + code);
			}
			countries.add(code.asString());
		}
		return countries;
	}

	private static JsonNode options(JsonNode body) {
		JsonNode options = body.path("options");
		if (options.isNull()) {
			throw PlaidException.invalidField("options must not be null; omit it instead");
		}
		if (!options.isMissingNode() && !options.isObject()) {
			throw PlaidException.invalidField("options must be an object");
		}
		return options;
	}

	private static Predicate<InstitutionCatalogue.Entry> inCountries(List<String> countries) {
		return entry -> countries.contains(entry.institution().country());
	}

	private static Predicate<InstitutionCatalogue.Entry> products(JsonNode products) {
		if (products.isMissingNode() || products.isNull()) {
			return entry -> true;
		}
		if (!products.isArray() || products.isEmpty()) {
			throw PlaidException.invalidField("products must be null or a non-empty array of products");
		}
		List<String> wanted = new ArrayList<>();
		for (JsonNode product : products) {
			if (!product.isString() || !InstitutionCatalogue.KNOWN_PRODUCTS.contains(product.asString())) {
				throw PlaidException.invalidField("products contains an unknown product: " + product);
			}
			wanted.add(product.asString());
		}
		return entry -> entry.supportsAll(wanted);
	}

	private static Predicate<InstitutionCatalogue.Entry> oauth(JsonNode oauth) {
		if (oauth.isMissingNode() || oauth.isNull()) {
			return entry -> true;
		}
		if (!oauth.isBoolean()) {
			throw PlaidException.invalidField("options.oauth must be a boolean");
		}
		return entry -> entry.oauth() == oauth.asBoolean();
	}

	private static Predicate<InstitutionCatalogue.Entry> routingNumbers(JsonNode numbers) {
		if (numbers.isMissingNode() || numbers.isNull()) {
			return entry -> true;
		}
		if (!numbers.isArray()) {
			throw PlaidException.invalidField("options.routing_numbers must be an array of strings");
		}
		List<String> valid = new ArrayList<>();
		numbers.forEach(number -> {
			if (number.isString() && validRoutingNumber(number.asString())) {
				valid.add(number.asString());
			}
		});
		if (valid.isEmpty() && !numbers.isEmpty()) {
			throw PlaidException.invalidField("options.routing_numbers contains no valid routing number");
		}
		return entry -> entry.routingNumbers().containsAll(valid);
	}

	/**
	 * ABA routing numbers: nine digits whose weighted sum (3, 7, 1) is a multiple of ten.
	 */
	static boolean validRoutingNumber(String number) {
		if (!number.matches("\\d{9}")) {
			return false;
		}
		int[] weights = { 3, 7, 1 };
		int sum = 0;
		for (int i = 0; i < 9; i++) {
			sum += (number.charAt(i) - '0') * weights[i % 3];
		}
		return sum % 10 == 0;
	}

	private static Predicate<InstitutionCatalogue.Entry> nameMatches(String query) {
		List<String> words = List.of(query.toLowerCase(Locale.ROOT).trim().split("\\s+"));
		return entry -> {
			String name = entry.institution().name().toLowerCase(Locale.ROOT);
			return words.stream().allMatch(name::contains);
		};
	}

	private static Map<String, Object> institution(InstitutionCatalogue.Entry entry, JsonNode options,
			boolean includeStatus) {
		Map<String, Object> institution = new LinkedHashMap<>();
		institution.put("country_codes", List.of(entry.institution().country()));
		institution.put("institution_id", entry.id());
		institution.put("name", entry.institution().name());
		institution.put("products", entry.products());
		institution.put("routing_numbers", entry.routingNumbers());
		institution.put("dtc_numbers", entry.dtcNumbers());
		institution.put("oauth", entry.oauth());
		if (options.path("include_optional_metadata").asBoolean(false)) {
			institution.put("url", entry.url());
			institution.put("primary_color", entry.primaryColor());
			institution.put("logo", null);
		}
		if (includeStatus) {
			// Plaid's spec: "institution status is not available in the Sandbox
			// environment".
			institution.put("status", null);
		}
		if (options.path("include_auth_metadata").asBoolean(false)) {
			institution.put("auth_metadata", authMetadata(entry.auth()));
		}
		if (options.path("include_payment_initiation_metadata").asBoolean(false)) {
			institution.put("payment_initiation_metadata", null);
		}
		return institution;
	}

	private static Map<String, Object> authMetadata(InstitutionCatalogue.AuthMethods auth) {
		if (auth == null) {
			return null;
		}
		Map<String, Object> methods = new LinkedHashMap<>();
		methods.put("instant_auth", auth.instantAuth());
		methods.put("instant_match", auth.instantMatch());
		methods.put("automated_micro_deposits", auth.automatedMicroDeposits());
		methods.put("instant_micro_deposits", auth.instantMicroDeposits());
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("supported_methods", methods);
		return metadata;
	}

}
