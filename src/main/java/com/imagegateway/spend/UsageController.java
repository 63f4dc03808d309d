package com.imagegateway.spend;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.AdminKey;
import com.imagegateway.clients.GatewayClient;
import com.imagegateway.system.Problems;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who spent what: a client's own usage and budget with its key, every client's with the
 * operators' key. JSON, or the groups as CSV for a spreadsheet.
 */
@RestController
@Tag(name = "usage", description = "What jobs cost: your usage and budget; every client's for operators.")
@SecurityRequirement(name = "bearer")
@ApiResponse(responseCode = "400",
		description = "`from` or `to` is not a date or an instant, `to` is not after "
				+ "`from` or too far from it, `groupBy` is not one of its values, or a query parameter is not one of "
				+ "these (`validation_failed`).")
@ApiResponse(responseCode = "401", description = "Missing or unknown key (`unauthorized`).")
@ApiResponse(responseCode = "503", description = "The gateway's store cannot be reached (`store_unavailable`).")
class UsageController {

	static final MediaType CSV = MediaType.parseMediaType("text/csv");

	private static final Set<String> PARAMETERS = Set.of("from", "to", "groupBy");

	private final UsageReports reports;

	private final AdminKey adminKey;

	private final Clock clock;

	private final Duration retention;

	UsageController(UsageReports reports, AdminKey adminKey, Clock clock, PricingProperties properties) {
		this.reports = reports;
		this.adminKey = adminKey;
		this.clock = clock;
		this.retention = properties.usageRetention();
	}

	@GetMapping(path = "/usage", produces = { MediaType.APPLICATION_JSON_VALUE, "text/csv" })
	@Operation(operationId = "getUsage", summary = "Your client's usage and budget",
			description = "What your finished jobs counted for (jobs, images, seconds the model ran, cost), "
					+ "by the UTC day they were created, over whole days from `from` up to `to`; by default the "
					+ "current calendar month. With `Accept: text/csv`, the groups as CSV.")
	@ApiResponse(responseCode = "200", description = "Your usage.",
			content = { @Content(mediaType = "application/json", schema = @Schema(implementation = UsageReport.class)),
					@Content(mediaType = "text/csv",
							schema = @Schema(type = "string",
									example = "key,jobs,images,predictSeconds,cost,unpricedJobs\n"
											+ "black-forest-labs/flux-schnell,12,12,14.200000,0.036000,0\n")) })
	@ApiResponse(responseCode = "429",
			description = "Over the client's rate limit (`rate_limited`, with `Retry-After` and `RateLimit-*` headers).")
	Mono<ResponseEntity<?>> getUsage(GatewayClient client,
			@Parameter(description = "The first day: a date (`2026-12-01`) or an instant, whose day counts.",
					example = "2026-12-01") @RequestParam(required = false) @Nullable String from,
			@Parameter(description = "The end, exclusive: a date, or an instant whose day counts unless it is a "
					+ "midnight.", example = "2027-01-01") @RequestParam(required = false) @Nullable String to,
			@Parameter(description = "What the groups are.",
					schema = @Schema(allowableValues = { "model", "day" }, defaultValue = "model")) @RequestParam(
							required = false) @Nullable String groupBy,
			ServerWebExchange exchange) {
		checkParameters(exchange);
		UsageRange range = UsageRange.parse(from, to, this.clock.instant(), this.retention);
		UsageReports.Grouping grouping = grouping(groupBy, UsageReports.Grouping.MODEL,
				List.of(UsageReports.Grouping.MODEL, UsageReports.Grouping.DAY));
		return this.reports.of(client, range, grouping).map((report) -> answer(report, exchange));
	}

	@GetMapping(path = "/admin/usage", produces = { MediaType.APPLICATION_JSON_VALUE, "text/csv" })
	@Operation(operationId = "getAllUsage", summary = "Every client's usage (operators)",
			description = "As `GET /usage`, for every client, with the operators' key "
					+ "(`gateway.admin.key-sha256`). With `Accept: text/csv`, the groups as CSV.")
	@ApiResponse(responseCode = "200", description = "Every client's usage.",
			content = { @Content(mediaType = "application/json", schema = @Schema(implementation = UsageReport.class)),
					@Content(mediaType = "text/csv",
							schema = @Schema(type = "string",
									example = "key,jobs,images,predictSeconds,cost,unpricedJobs\n"
											+ "team-a,12,12,14.200000,0.036000,0\n")) })
	@ApiResponse(responseCode = "403", description = "A client's key, not the operators' (`forbidden`).")
	@ApiResponse(responseCode = "404", description = "No operators' key is configured (`not_found`).")
	Mono<ResponseEntity<?>> getAllUsage(
			@Parameter(description = "The first day: a date (`2026-12-01`) or an instant, whose day counts.",
					example = "2026-12-01") @RequestParam(required = false) @Nullable String from,
			@Parameter(description = "The end, exclusive: a date, or an instant whose day counts unless it is a "
					+ "midnight.", example = "2027-01-01") @RequestParam(required = false) @Nullable String to,
			@Parameter(description = "What the groups are.",
					schema = @Schema(allowableValues = { "client", "model", "day" },
							defaultValue = "client")) @RequestParam(required = false) @Nullable String groupBy,
			ServerWebExchange exchange) {
		this.adminKey.check(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
		checkParameters(exchange);
		UsageRange range = UsageRange.parse(from, to, this.clock.instant(), this.retention);
		UsageReports.Grouping grouping = grouping(groupBy, UsageReports.Grouping.CLIENT,
				List.of(UsageReports.Grouping.values()));
		return this.reports.ofAll(range, grouping).map((report) -> answer(report, exchange));
	}

	private static void checkParameters(ServerWebExchange exchange) {
		Problems.undefinedQueryParameter(exchange.getRequest(), PARAMETERS).ifPresent((problem) -> {
			throw problem;
		});
	}

	private static UsageReports.Grouping grouping(@Nullable String value, UsageReports.Grouping fallback,
			List<UsageReports.Grouping> allowed) {
		if (value == null) {
			return fallback;
		}
		for (UsageReports.Grouping grouping : allowed) {
			if (grouping.value().equals(value.toLowerCase(Locale.ROOT))) {
				return grouping;
			}
		}
		throw Problems.invalidField("groupBy",
				"must be one of " + String.join(", ", allowed.stream().map(UsageReports.Grouping::value).toList()));
	}

	/** CSV when the caller prefers it to JSON, else JSON. */
	private static ResponseEntity<?> answer(UsageReport report, ServerWebExchange exchange) {
		List<MediaType> accepted = new ArrayList<>(exchange.getRequest().getHeaders().getAccept());
		// stable: of two types of one quality, the first listed wins
		accepted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
		for (MediaType type : accepted) {
			if (type.getType().equals(CSV.getType()) && type.getSubtype().equals(CSV.getSubtype())) {
				return ResponseEntity.ok().contentType(CSV).body(UsageCsv.of(report));
			}
			if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
				break;
			}
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(report);
	}

}
