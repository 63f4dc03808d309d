package com.imagegateway.images;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.system.GatewayRequestObservationConvention;
import com.imagegateway.system.Problems;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

@RestController
@RequestMapping(path = "/images", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "images", description = "Generate images and follow their jobs.")
@SecurityRequirement(name = "bearer")
@ApiResponse(responseCode = "401",
		description = "Missing or unknown key (`unauthorized`), checked before anything else.")
@ApiResponse(responseCode = "429",
		description = "Over the client's rate limit (`rate_limited`, with `Retry-After` "
				+ "and `RateLimit-*` headers) or its cap on running jobs (`too_many_running_jobs`).")
@ApiResponse(responseCode = "502",
		description = "The model provider failed (`upstream_error`), answered something unreadable "
				+ "(`upstream_bad_response`) or refused the gateway's key (`upstream_auth_failed`).")
@ApiResponse(responseCode = "503",
		description = "The model provider is unavailable (`upstream_unavailable`) or "
				+ "busy (`upstream_busy`), or the gateway's job store cannot be reached (`store_unavailable`); "
				+ "`Retry-After` says when to try again.")
@ApiResponse(responseCode = "504", description = "The model provider did not answer in time (`upstream_timeout`).")
class ImagesController {

	static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

	static final String PREFERENCE_APPLIED = "Preference-Applied";

	static final String GATEWAY_CACHE = "Gateway-Cache";

	static final String LAST_EVENT_ID = "Last-Event-ID";

	private static final String NO_PROXY_BUFFERING = "X-Accel-Buffering";

	private static final int MAX_LIMIT = 100;

	private final ImageJobs jobs;

	private final ImageCreation creation;

	private final SignedOutputLinks links;

	private final JobEvents events;

	private final JobWebhooks webhooks;

	ImagesController(ImageJobs jobs, ImageCreation creation, SignedOutputLinks links, JobEvents events,
			JobWebhooks webhooks) {
		this.events = events;
		this.webhooks = webhooks;
		this.jobs = jobs;
		this.creation = creation;
		this.links = links;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "createImage", summary = "Start generating images",
			description = "Creates a job. With `Prefer: wait=N` the answer is held until the job has finished or N "
					+ "seconds (at most 60) have passed.")
	@ApiResponse(responseCode = "201",
			description = "The job was created (or replayed for a repeated Idempotency-Key).",
			headers = {
					@Header(name = HttpHeaders.LOCATION, description = "The job's URL.",
							schema = @Schema(type = "string")),
					@Header(name = PREFERENCE_APPLIED, description = "`wait=N` when the answer was held.",
							schema = @Schema(type = "string")),
					@Header(name = IDEMPOTENT_REPLAYED,
							description = "`true` when this answers an earlier request "
									+ "with the same Idempotency-Key.",
							schema = @Schema(type = "string")),
					@Header(name = GATEWAY_CACHE,
							description = "For a request with a `seed`: `HIT` when an earlier job's images answered it "
									+ "(the job is `cached`, cost 0, no prediction was made), `MISS` otherwise.",
							schema = @Schema(type = "string", allowableValues = { "HIT", "MISS" })) })
	@ApiResponse(responseCode = "400",
			description = "Invalid request body (`validation_failed`, with `errors`) or not JSON "
					+ "(`malformed_json`). Besides what the schema states: `cancelAfter` outside 5 s to 24 h or over your "
					+ "client's `max-cancel-after`, `webhookEvents` "
					+ "without `webhook`, a field of `input` that repeats one set above, a `webhook` whose host is not "
					+ "allowed or a client without a webhook secret, and a malformed `Idempotency-Key` or `Prefer`.")
	@ApiResponse(responseCode = "403",
			description = "The client may not use this model (`model_not_allowed`), or "
					+ "the gateway has no price for it and requires one (`model_not_priced`).")
	@ApiResponse(responseCode = "409",
			description = "A request with this Idempotency-Key is still running (`idempotency_key_in_use`).")
	@ApiResponse(responseCode = "413", description = "The body is over 64 KiB (`payload_too_large`).")
	@ApiResponse(responseCode = "415", description = "The body is not sent as JSON (`unsupported_media_type`).")
	@ApiResponse(responseCode = "422",
			description = "Idempotency-Key reused with another body (`idempotency_key_reused`), the prompt breaks "
					+ "one of your client's prompt rules (`prompt_rejected`: `errors` names the rule, nothing was "
					+ "created), or the model provider rejected the input (`upstream_rejected_input`) or does not offer the model (`model_unavailable`).")
	@ApiResponse(responseCode = "429", description = "Over the client's rate limit (`rate_limited`, with `Retry-After` "
			+ "and `RateLimit-*` headers) or its cap on running jobs (`too_many_running_jobs`), or its budget for the "
			+ "period cannot hold this job's estimated cost (`budget_exhausted`, with `Retry-After`: the seconds until "
			+ "the next period). Nothing reached the model provider.")
	Mono<ResponseEntity<ImageJob>> createImage(GatewayClient client, @Valid @RequestBody CreateImageRequest request,
			@Parameter(in = ParameterIn.HEADER,
					description = "`wait` or `wait=N`: hold the answer until the job "
							+ "finishes, at most N (≤ 60) seconds.",
					example = "wait=30") @RequestHeader(name = "Prefer", required = false) @Nullable String prefer,
			@Parameter(in = ParameterIn.HEADER,
					description = "Makes retries safe: the same key with the same body "
							+ "within 24 hours creates nothing new and answers with the same job.",
					schema = @Schema(minLength = 1, maxLength = 255, pattern = "^.*\\S.*$")) @RequestHeader(
							name = ImageCreation.IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
			@Parameter(in = ParameterIn.HEADER,
					description = "For a request with a `seed`: `max-age=N` lets an earlier job's images, at most N "
							+ "seconds old, of the same model and input answer it (your client's `cache.ttl` does "
							+ "the same without it); `no-cache` asks for a new prediction; `no-store` keeps this "
							+ "job's images from answering later requests.",
					example = "max-age=86400") @RequestHeader(name = HttpHeaders.CACHE_CONTROL,
							required = false) @Nullable String cacheControl,
			ServerWebExchange exchange) {
		Optional<PreferWait> wait = PreferWait.parse(prefer);
		if (wait.isPresent()) {
			GatewayRequestObservationConvention.held(exchange.getAttributes());
		}
		ServerHttpRequest http = exchange.getRequest();
		return this.creation.create(client, request, idempotencyKey, wait, cacheControl, ImageRequests.gateway(http))
			.map((created) -> {
				ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CREATED)
					.location(URI.create("/images/" + created.job().id()));
				if (created.waited() != null) {
					response.header(PREFERENCE_APPLIED, created.waited().applied());
				}
				if (created.replayed()) {
					response.header(IDEMPOTENT_REPLAYED, "true");
				}
				JobCache place = created.job().cache();
				if (place != null && place.hitOf() != null) {
					response.header(GATEWAY_CACHE, "HIT");
				}
				else if (CacheKeys.seeded(request.upstreamInput())) {
					response.header(GATEWAY_CACHE, "MISS");
				}
				return response.body(ImageJob.of(created.job(), ImageRequests.gateway(http), this.links));
			});
	}

	@GetMapping("/{id}")
	@Operation(operationId = "getImage", summary = "Read one of your jobs",
			description = "Answered from the gateway's store, where every running job is kept current in the "
					+ "background: at most `max-poll-interval` (5 s by default) behind the model provider.")
	@ApiResponse(responseCode = "200", description = "The job. A finished job carries a strong `ETag`.",
			headers = @Header(name = HttpHeaders.ETAG,
					description = "Set once the job has finished: it never changes "
							+ "again, but for its webhook's delivery states while those are pending.",
					schema = @Schema(type = "string")),
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = ImageJob.class)))
	@ApiResponse(responseCode = "304",
			description = "Sent `If-None-Match` with the finished job's `ETag`: it is "
					+ "unchanged (a finished job never changes).",
			content = @Content)
	@ApiResponse(responseCode = "404", description = "No job of yours has this id (`not_found`).")
	Mono<ResponseEntity<?>> getImage(GatewayClient client, @PathVariable String id, ServerWebExchange exchange) {
		// a settled job is answered before this, with its ETag (FinishedReads), which
		// hands a running one over
		Job handedOver = ImageRequests.handedOver(exchange);
		URI gateway = ImageRequests.gateway(exchange.getRequest());
		return ((handedOver != null) ? Mono.just(handedOver) : this.jobs.stored(client, id))
			.flatMap((job) -> (job.webhook() == null) ? Mono.just(ImageJob.of(job, gateway, this.links))
					: this.webhooks.deliveries(job)
						.map((deliveries) -> ImageJob.of(job, gateway, this.links, deliveries)))
			.<ResponseEntity<?>>map(ResponseEntity::ok);
	}

	@GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	@Operation(operationId = "streamImageEvents", summary = "Watch one of your jobs as Server-Sent Events",
			description = "One `status` event (`data`: the job, as `GET /images/{id}` shows it) for each status the "
					+ "gateway records, whichever replica tracks the job: at most `max-poll-interval` (5 s by default) "
					+ "behind the model provider. Event ids are the status's place in a job's life: 1 `starting`, "
					+ "2 `processing`, 3 finished. A finished job's event comes once its images are stored, with the "
					+ "gateway's links, and ends the stream. Reconnect with `Last-Event-ID` to resume without repeats. "
					+ "A comment every `gateway.events.heartbeat` (15 s by default) keeps a quiet stream open.")
	@ApiResponse(responseCode = "200", description = "The event stream: `ImageJobEvent`s, and comments as heartbeats.",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					schema = @Schema(implementation = ImageJobEvent.class)))
	@ApiResponse(responseCode = "400",
			description = "`Last-Event-ID` is not an event id of this stream (`validation_failed`).")
	@ApiResponse(responseCode = "404", description = "No job of yours has this id (`not_found`).")
	Mono<ResponseEntity<Flux<ServerSentEvent<ImageJob>>>> streamImageEvents(GatewayClient client,
			@PathVariable String id,
			@Parameter(in = ParameterIn.HEADER,
					description = "The id of the last event received: the stream " + "resumes after it.",
					schema = @Schema(type = "string", pattern = "^[0-9]{1,9}$")) @RequestHeader(name = LAST_EVENT_ID,
							required = false) @Nullable String lastEventId,
			ServerWebExchange exchange) {
		long after = lastEventId(lastEventId);
		GatewayRequestObservationConvention.held(exchange.getAttributes());
		ServerHttpRequest http = exchange.getRequest();
		return this.jobs.stored(client, id)
			.map((job) -> ResponseEntity.ok()
				.cacheControl(CacheControl.noStore())
				// nginx-style proxies would otherwise buffer the stream
				.header(NO_PROXY_BUFFERING, "no")
				.body(this.events.stream(job, after, ImageRequests.gateway(http))));
	}

	private static long lastEventId(@Nullable String value) {
		if (value == null) {
			return 0;
		}
		if (!value.matches("[0-9]{1,9}")) {
			throw Problems.invalidField(LAST_EVENT_ID, "must be the id of an event this stream sent");
		}
		return Long.parseLong(value);
	}

	@PostMapping("/{id}/cancel")
	@Operation(operationId = "cancelImage", summary = "Cancel one of your running jobs")
	@ApiResponse(responseCode = "200", description = "The job, as the model provider reports it after the cancel.")
	@ApiResponse(responseCode = "404", description = "No job of yours has this id (`not_found`).")
	@ApiResponse(responseCode = "409", description = "The job has already finished (`job_finished`).")
	Mono<ImageJob> cancelImage(GatewayClient client, @PathVariable String id, ServerHttpRequest http) {
		return this.jobs.cancel(client, id).map((job) -> ImageJob.of(job, ImageRequests.gateway(http), this.links));
	}

	@GetMapping
	@Operation(operationId = "listImages", summary = "List your jobs, newest first",
			description = "Jobs are listed as last seen by the gateway; read one to refresh a running job.")
	@ApiResponse(responseCode = "200", description = "One page of jobs.")
	@ApiResponse(responseCode = "400",
			description = "Invalid limit, cursor or status (`validation_failed`, with `errors`).")
	Mono<ImageJobPage> listImages(GatewayClient client,
			@Parameter(description = "Page size.",
					schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100",
							defaultValue = "20")) @RequestParam(defaultValue = "20") int limit,
			@Parameter(description = "`nextCursor` of the previous page.",
					schema = @Schema(type = "string", minLength = 1, pattern = "^[A-Za-z0-9_-]+$")) @RequestParam(
							required = false) @Nullable String cursor,
			@Parameter(description = "Only jobs in this status.",
					schema = @Schema(implementation = JobStatus.class)) @RequestParam(
							required = false) @Nullable String status,
			ServerHttpRequest http) {
		if (http.getQueryParams().containsKey("limit")
				&& !StringUtils.hasText(http.getQueryParams().getFirst("limit"))) {
			// Spring reads "limit=" as absent; the document's integer does not allow it
			throw Problems.invalidField("limit", "must be a number");
		}
		if (limit < 1 || limit > MAX_LIMIT) {
			throw Problems.invalidField("limit", "must be between 1 and " + MAX_LIMIT);
		}
		JobStatus wanted = (status != null)
				? JobStatus.fromValue(status)
					.orElseThrow(() -> Problems.invalidField("status", "must be a job status, such as succeeded"))
				: null;
		JobCursor after = (cursor != null) ? JobCursor.decode(cursor)
			.orElseThrow(() -> Problems.invalidField("cursor", "is not a cursor this gateway gave out")) : null;
		URI gateway = ImageRequests.gateway(http);
		return this.jobs.list(client, wanted, after, limit)
			.map((page) -> new ImageJobPage(
					page.jobs().stream().map((job) -> ImageJob.of(job, gateway, this.links)).toList(),
					(page.next() != null) ? page.next().encode() : null));
	}

}
