package com.imagegateway;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Every answer of the gateway in the integration tests, checked against the committed
 * OpenAPI document that callers generate clients from: its status must be one the
 * operation lists, its media type one the document gives for that status, and a JSON body
 * must be valid against the documented schema (JSON Schema 2020-12, OpenAPI 3.1's
 * dialect). So a drift between the code and the contract fails the test that shows it.
 */
public final class ContractCheck {

	private static final JsonNode DOCUMENT = JsonMapper.shared()
		.readTree(Path.of("src/main/resources/openapi/image-gateway.json").toFile());

	private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private static final List<Route> ROUTES = routes();

	private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

	private ContractCheck() {
	}

	static void verify(EntityExchangeResult<?> result) {
		String problem = problem(result.getMethod().name(), result.getUrl().getRawPath(), result.getStatus().value(),
				result.getResponseHeaders().getContentType(), result.getResponseBodyContent());
		if (problem != null) {
			throw new AssertionError(problem);
		}
	}

	/** What is wrong with this answer by the document; null when nothing is. */
	static @Nullable String problem(String method, String path, int status, @Nullable MediaType type,
			byte @Nullable [] body) {
		Route route = ROUTES.stream()
			.filter((candidate) -> candidate.pattern().matcher(path).matches())
			.findFirst()
			.orElse(null);
		if (route == null) {
			// actuator, the document itself, unknown paths: not part of the contract
			return null;
		}
		JsonNode operation = DOCUMENT.path("paths").path(route.template()).path(method.toLowerCase());
		if (operation.isMissingNode()) {
			// a method the path does not have: 405 (or 401 first), tested on their own
			return null;
		}
		String where = method + " " + route.template();
		JsonNode response = operation.path("responses").path(String.valueOf(status));
		if (response.isMissingNode()) {
			return where + " answered " + status + ", which the OpenAPI document does not list for it";
		}
		if (body == null || body.length == 0 || type == null) {
			return null;
		}
		String documented = response.path("content")
			.propertyNames()
			.stream()
			.filter((candidate) -> MediaType.parseMediaType(candidate).includes(type))
			.findFirst()
			.orElse(null);
		if (documented == null) {
			return where + " answered " + status + " as " + type + "; the document says "
					+ response.path("content").propertyNames();
		}
		if (!documented.endsWith("json")) {
			return null;
		}
		Schema schema = COMPILED.computeIfAbsent(where + " " + status + " " + documented,
				(key) -> compile(response.path("content").path(documented).path("schema")));
		JsonNode json = JsonMapper.shared().readTree(body);
		List<Error> errors = schema.validate(json);
		if (!errors.isEmpty()) {
			return where + " answered " + status + " with a body the OpenAPI document does not allow: " + errors + "\n"
					+ json;
		}
		// a problem's code is what callers branch on: the document names each one an
		// operation answers
		String code = documented.equals(MediaType.APPLICATION_PROBLEM_JSON_VALUE) ? json.path("code").asString() : "";
		if (!code.isEmpty() && !response.path("description").asString().contains("`" + code + "`")) {
			return where + " answered " + status + " " + code + ", a code the document does not name for it: "
					+ response.path("description").asString();
		}
		return null;
	}

	/**
	 * What the document says is wrong with this request body; empty when it allows it.
	 */
	public static List<Error> requestErrors(String method, String template, String json) {
		JsonNode schema = DOCUMENT.path("paths")
			.path(template)
			.path(method.toLowerCase())
			.path("requestBody")
			.path("content")
			.path("application/json")
			.path("schema");
		return COMPILED.computeIfAbsent("request " + method + " " + template, (key) -> compile(schema))
			.validate(json, InputFormat.JSON);
	}

	/** The documented schema of a named component. */
	public static JsonNode component(String name) {
		return DOCUMENT.path("components").path("schemas").path(name);
	}

	/** The documented schema with the document's components beside it, for its $refs. */
	private static Schema compile(JsonNode schema) {
		ObjectNode root = JsonNodeFactory.instance.objectNode();
		root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
		root.set("components", DOCUMENT.path("components"));
		root.setAll((ObjectNode) schema);
		return SCHEMAS.getSchema(root.toString());
	}

	private static List<Route> routes() {
		List<Route> routes = new ArrayList<>();
		for (String template : DOCUMENT.path("paths").propertyNames()) {
			String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
			routes.add(new Route(template, Pattern.compile(regex)));
		}
		return routes;
	}

	private record Route(String template, Pattern pattern) {
	}

}
