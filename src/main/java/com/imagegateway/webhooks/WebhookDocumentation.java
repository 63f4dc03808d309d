package com.imagegateway.webhooks;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.callbacks.Callback;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The delivery a receiver gets, as a {@code callbacks} entry of {@code createImage}: its
 * headers and payload. Not the top-level {@code webhooks} of OpenAPI 3.1, from which
 * openapi-generator 7.25's {@code typescript-fetch} makes a client that does not compile.
 */
@Configuration(proxyBeanMethods = false)
class WebhookDocumentation {

	@Bean
	OpenApiCustomizer webhookDelivery() {
		return (openApi) -> openApi.getPaths()
			.get("/images")
			.getPost()
			.addCallback("jobEvent", new Callback().addPathItem("{$request.body#/webhook}", new PathItem()
				.post(new Operation().operationId("receiveJobEvent")
					.summary("A job reached an event its webhook asked for")
					.description(
							"Sent to the `webhook` of `POST /images` for each of its `webhookEvents`. The body is the job "
									+ "as `GET /images/{id}` showed it at that event. Signed the Standard Webhooks way: verify "
									+ "`webhook-signature` over `{webhook-id}.{webhook-timestamp}.{body}` with your client's "
									+ "`whsec_` secret, and drop a `webhook-id` you have seen (a redelivery). Answer 2xx within "
									+ "`gateway.webhooks.timeout` (10 s); anything else is retried with backoff for "
									+ "`gateway.webhooks.retry-for` (24 h), except `410 Gone`, which stops it.")
					.addParametersItem(
							header("webhook-id", "The delivery's id: the same on every redelivery of one event."))
					.addParametersItem(header("webhook-timestamp", "When this attempt was signed, in Unix seconds."))
					.addParametersItem(header("webhook-signature",
							"`v1,<base64 HMAC-SHA256>`, space-separated when two secrets are live during a rotation."))
					.requestBody(new RequestBody().required(true)
						.content(new Content().addMediaType("application/json",
								new MediaType().schema(new Schema<>().$ref("#/components/schemas/ImageJob")))))
					.responses(new ApiResponses()
						.addApiResponse("200", new ApiResponse().description("Delivered (any 2xx)."))
						.addApiResponse("410",
								new ApiResponse().description("Gone: the gateway stops delivering this event."))))));
	}

	private static HeaderParameter header(String name, String description) {
		HeaderParameter header = new HeaderParameter();
		header.name(name).required(true).description(description).schema(new StringSchema());
		return header;
	}

}
