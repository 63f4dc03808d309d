package com.imagegateway.system;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI imageGatewayOpenApi() {
		return new OpenAPI()
			.info(new Info().title("image-gateway")
				.version("1")
				.description("Generate images through the company's model provider account with your own key. "
						+ "Errors are RFC 9457 problem details with a stable `code`."))
			// relative, so the document is the same wherever the gateway runs
			.servers(List.of(new Server().url("/").description("This gateway")))
			.components(new Components().addSecuritySchemes("bearer",
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.description("Your client key, as `Authorization: Bearer <key>`.")));
	}

	/**
	 * Every error the gateway answers is an RFC 9457 problem: each documented {@code 4xx}
	 * and {@code 5xx} of an operation has the {@link Problem} body (or, on a path of
	 * another API the gateway speaks, its {@link ErrorFormat}'s), so that an operation
	 * only says when it answers one and with which {@code code}. Without a body of their
	 * own, springdoc would give those answers the operation's return type, whose schemas
	 * are then dropped if nothing else uses them.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	@SuppressWarnings("rawtypes")
	OpenApiCustomizer errorsAreProblems(List<ErrorFormat> formats) {
		return (openApi) -> {
			openApi.getPaths().forEach((name, path) -> {
				ErrorFormat format = formats.stream().filter((each) -> each.appliesTo(name)).findFirst().orElse(null);
				Class<?> body = (format != null) ? format.schema() : Problem.class;
				String mediaType = (format != null) ? format.contentType().toString()
						: org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
				ModelConverters.getInstance(true)
					.readAll(body)
					.forEach((schemaName,
							schema) -> openApi.getComponents().getSchemas().putIfAbsent(schemaName, schema));
				String reference = "#/components/schemas/"
						+ body.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class).name();
				path.readOperations().forEach((operation) -> {
					if (operation.getResponses() != null) {
						operation.getResponses().forEach((status, response) -> {
							if (status.length() == 3 && status.charAt(0) >= '4') {
								response.setContent(new Content().addMediaType(mediaType,
										new MediaType().schema(new Schema<>().$ref(reference))));
							}
						});
					}
				});
			});
			dropUnused(openApi);
		};
	}

	/** Drops the component schemas that nothing refers to any more. */
	private static void dropUnused(OpenAPI openApi) {
		int before;
		do {
			before = openApi.getComponents().getSchemas().size();
			String document = Json31.pretty(openApi);
			openApi.getComponents()
				.getSchemas()
				.keySet()
				.removeIf((name) -> !document.contains("\"#/components/schemas/" + name + "\""));
		}
		while (openApi.getComponents().getSchemas().size() < before);
	}

	/**
	 * A request body's optional field may also be sent as {@code null}, which the gateway
	 * reads as not set: the document says so (a {@code "null"} type, and {@code null} in
	 * an enum), so that clients that send nulls and servers that validate agree with the
	 * gateway.
	 */
	@Bean
	@SuppressWarnings("rawtypes")
	OpenApiCustomizer optionalRequestFieldsMayBeNull() {
		return (openApi) -> openApi.getComponents().getSchemas().forEach((name, schema) -> {
			Map<String, Schema> properties = schema.getProperties();
			if (!name.endsWith("Request") || properties == null) {
				return;
			}
			List<String> required = (schema.getRequired() != null) ? schema.getRequired() : List.of();
			properties.forEach((property, field) -> {
				if (!required.contains(property)) {
					nullable(field);
				}
			});
		});
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void nullable(Schema field) {
		Set<String> types = new LinkedHashSet<>((field.getTypes() != null) ? field.getTypes() : Set.of());
		if (types.isEmpty() && field.getType() != null) {
			types.add(field.getType());
		}
		types.add("null");
		field.setTypes(types);
		if (field.getEnum() != null && !field.getEnum().contains(null)) {
			List values = new ArrayList<>(field.getEnum());
			values.add(null);
			field.setEnum(values);
		}
	}

}
