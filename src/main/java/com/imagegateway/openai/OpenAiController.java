package com.imagegateway.openai;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.images.ImageCreation;
import com.imagegateway.images.ImageRequests;
import com.imagegateway.system.GatewayRequestObservationConvention;
import com.imagegateway.system.Problems;
import com.imagegateway.upstream.ModelRef;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * OpenAI's Images API, for callers whose code already speaks it (OpenAI's SDKs, Spring
 * AI, LangChain4j): {@code POST /v1/images/generations} and the models a caller may use.
 */
@RestController
@Tag(name = "openai", description = "OpenAI's Images API: point an OpenAI SDK at `{gateway}/v1` with your key.")
@SecurityRequirement(name = "bearer")
@ApiResponse(responseCode = "401", description = "Missing or unknown key (`invalid_api_key`).")
class OpenAiController {

	private final ImageGenerations generations;

	private final ModelAliases models;

	OpenAiController(ImageGenerations generations, ModelAliases models) {
		this.generations = generations;
		this.models = models;
	}

	@PostMapping(path = "/v1/images/generations", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "createOpenAiImage", summary = "Generate images (OpenAI's shape)",
			description = "Creates one job, or several when `n` is more than the model makes at once, as "
					+ "`POST /images` does (the jobs are listed there), holds until the images are stored, at most "
					+ "`gateway.openai.wait` (55 s), and answers with signed links to them or their bytes.")
	@ApiResponse(responseCode = "200", description = "Every image asked for.")
	@ApiResponse(responseCode = "400",
			description = "A field is missing, of the wrong type, out of range or unknown (`validation_failed`, "
					+ "`param` names it), or the body is not JSON (`malformed_json`).")
	@ApiResponse(responseCode = "403",
			description = "The client may not use this model (`model_not_allowed`), or "
					+ "it has no price and prices are required (`model_not_priced`).")
	@ApiResponse(responseCode = "404", description = "No such model (`model_not_found`).")
	@ApiResponse(responseCode = "409",
			description = "A request with this Idempotency-Key is still running (`idempotency_key_in_use`).")
	@ApiResponse(responseCode = "413", description = "The body is over 64 KiB (`payload_too_large`).")
	@ApiResponse(responseCode = "415", description = "The body is not sent as JSON (`unsupported_media_type`).")
	@ApiResponse(responseCode = "422",
			description = "Idempotency-Key reused with another body (`idempotency_key_reused`), the prompt breaks "
					+ "one of the client's prompt rules (`prompt_rejected`, `param` `prompt`), or the model provider "
					+ "rejected the input (`upstream_rejected_input`) or does not offer the model (`model_unavailable`).")
	@ApiResponse(responseCode = "429",
			description = "Over the client's rate limit (`rate_limit_exceeded`, with `Retry-After`), its cap on "
					+ "running jobs (`too_many_running_jobs`) or its budget (`budget_exhausted`, with `Retry-After`).")
	@ApiResponse(responseCode = "502",
			description = "A job failed, was canceled or aborted (`job_failed`, `job_canceled`, `job_aborted`, with "
					+ "the job's id in `Image-Job-Id`), an image could not be stored (`image_not_stored`), or the "
					+ "model provider failed (`upstream_error`, `upstream_bad_response`, `upstream_auth_failed`).",
			headers = @Header(name = ImageGenerations.JOB_ID, description = "The job at fault.",
					schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "503",
			description = "The model provider is unavailable (`upstream_unavailable`) "
					+ "or busy (`upstream_busy`), or the gateway's store cannot be reached (`store_unavailable`).")
	@ApiResponse(responseCode = "504",
			description = "The images were not ready in time (`generation_timeout`): the jobs go on; follow them on "
					+ "`GET /images/{id}` with the ids in `Image-Job-Id` (comma-separated); or the model provider did "
					+ "not answer in time (`upstream_timeout`).",
			headers = @Header(name = ImageGenerations.JOB_ID, description = "The jobs still running.",
					schema = @Schema(type = "string")))
	Mono<ImagesResponse> createOpenAiImage(GatewayClient client, @Valid @RequestBody ImageGenerationRequest request,
			@Parameter(in = ParameterIn.HEADER,
					description = "Makes retries safe (OpenAI's SDKs retry on their own): the same key with the same "
							+ "body within 24 hours creates nothing new.",
					schema = @Schema(minLength = 1, maxLength = 255, pattern = "^.*\\S.*$")) @RequestHeader(
							name = ImageCreation.IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
			ServerWebExchange exchange) {
		GatewayRequestObservationConvention.held(exchange.getAttributes());
		// an absolute path resolved against the request keeps its scheme and authority
		return this.generations.generate(client, request, idempotencyKey, ImageRequests.gateway(exchange.getRequest()));
	}

	@GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "listOpenAiModels", summary = "The models you may use (OpenAI's shape)",
			description = "The aliases of `gateway.openai.models` your client may use, then its allow-list.")
	@ApiResponse(responseCode = "200", description = "The models.")
	ModelList listOpenAiModels(GatewayClient client) {
		return new ModelList("list",
				this.models.visibleTo(client).entrySet().stream().map(OpenAiController::model).toList());
	}

	@GetMapping(path = "/v1/models/{model}", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "getOpenAiModel", summary = "One model you may use (OpenAI's shape)")
	@ApiResponse(responseCode = "200", description = "The model.")
	@ApiResponse(responseCode = "404", description = "No such model for you (`not_found`).")
	ModelList.Model getOpenAiModel(GatewayClient client, @PathVariable String model) {
		ModelRef found = this.models.visibleTo(client).get(model);
		if (found == null) {
			throw Problems.notFound();
		}
		return model(Map.entry(model, found));
	}

	private static ModelList.Model model(Map.Entry<String, ModelRef> model) {
		return new ModelList.Model(model.getKey(), "model", 0, model.getValue().owner());
	}

	@Schema(name = "OpenAiModelList", description = "OpenAI's list of models.")
	record ModelList(@Schema(allowableValues = "list", requiredMode = Schema.RequiredMode.REQUIRED) String object,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Model> data) {

		@Schema(name = "OpenAiModel", description = "A model you may name in `model`.")
		record Model(
				@Schema(description = "What to send as `model`.", example = "flux-schnell",
						requiredMode = Schema.RequiredMode.REQUIRED) String id,
				@Schema(allowableValues = "model", requiredMode = Schema.RequiredMode.REQUIRED) String object,
				@Schema(description = "Always 0: the gateway does not know when.",
						requiredMode = Schema.RequiredMode.REQUIRED) long created,
				@com.fasterxml.jackson.annotation.JsonProperty("owned_by") @Schema(
						description = "The model's owner on the model provider.",
						requiredMode = Schema.RequiredMode.REQUIRED) String ownedBy) {
		}

	}

}
