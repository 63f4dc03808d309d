package com.imagegateway.outputs;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.GatewayClient;
import com.imagegateway.clients.UnauthorizedException;
import com.imagegateway.images.ImageJob;
import com.imagegateway.images.ImageJobs;
import com.imagegateway.images.Job;
import com.imagegateway.images.JobStore;
import com.imagegateway.images.OutputCopy;
import com.imagegateway.images.SignedOutputLinks;
import com.imagegateway.storage.OutputStorage;
import com.imagegateway.system.GatewayException;
import com.imagegateway.system.Problems;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The images the gateway stores, streamed from the {@link OutputStorage}: for the job's
 * owner (its key) or anyone holding a signed link. A stored image never changes, so it is
 * cached for good, answers conditional requests with {@code 304} and serves byte ranges.
 */
@RestController
@Tag(name = "images")
class OutputsController {

	private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

	private static final CacheControl FOREVER = CacheControl.maxAge(Duration.ofDays(365)).cachePrivate().immutable();

	private final ImageJobs jobs;

	private final JobStore store;

	private final OutputStorage storage;

	private final OutputLinks links;

	OutputsController(ImageJobs jobs, JobStore store, OutputStorage storage, OutputLinks links) {
		this.jobs = jobs;
		this.store = store;
		this.storage = storage;
		this.links = links;
	}

	@GetMapping("/images/{id}/outputs/{index}")
	@SecurityRequirement(name = "bearer")
	@Operation(operationId = "getImageOutput", summary = "Download one of your stored images",
			description = "With your key, or without one through the image's `signedUrl` (its `expires` and "
					+ "`signature` parameters). Supports `HEAD`, `If-None-Match` and one byte `Range`.")
	@ApiResponse(responseCode = "200", description = "The image.",
			headers = @Header(name = HttpHeaders.ETAG, description = "The SHA-256 of the bytes.",
					schema = @Schema(type = "string")),
			content = @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary")))
	@ApiResponse(responseCode = "206", description = "The requested byte range.",
			content = @Content(mediaType = "image/*", schema = @Schema(type = "string", format = "binary")))
	@ApiResponse(responseCode = "304", description = "Unchanged (a stored image never changes).", content = @Content)
	@ApiResponse(responseCode = "400", description = "The index is not a whole number (`validation_failed`).")
	@ApiResponse(responseCode = "401",
			description = "No key, and no complete signed link: `expires` and "
					+ "`signature` both set (`unauthorized`).")
	@ApiResponse(responseCode = "403",
			description = "The signature is wrong (`signature_invalid`) or has expired " + "(`signature_expired`).")
	@ApiResponse(responseCode = "404", description = "No stored image of yours here (`not_found`).")
	@ApiResponse(responseCode = "416", description = "The range lies outside the image (`range_not_satisfiable`).")
	Mono<ResponseEntity<Flux<DataBuffer>>> getImageOutput(@PathVariable String id, @PathVariable int index,
			@Parameter(description = "Of a signed link.") @RequestParam(name = SignedOutputLinks.EXPIRES,
					required = false) @Nullable String expires,
			@Parameter(description = "Of a signed link.") @RequestParam(name = SignedOutputLinks.SIGNATURE,
					required = false) @Nullable String signature,
			ServerWebExchange exchange) {
		Mono<Job> job = GatewayClient.of(exchange.getAttributes())
			.map((client) -> this.jobs.stored(client, id))
			.orElseGet(() -> signed(id, index, expires, signature));
		return job.map((found) -> copy(found, index))
			.map((copy) -> answer(id, index, copy, exchange.getRequest().getHeaders()));
	}

	private Mono<Job> signed(String id, int index, @Nullable String expires, @Nullable String signature) {
		if (!StringUtils.hasText(expires) || !StringUtils.hasText(signature)) {
			return Mono.error(new UnauthorizedException("Send your key, or use the image's signedUrl."));
		}
		return switch (this.links.verify(ImageJob.outputPath(id, index), expires, signature)) {
			case VALID -> this.store.find(id).switchIfEmpty(Mono.error(Problems::notFound));
			case EXPIRED -> Mono.error(new GatewayException(HttpStatus.FORBIDDEN, "signature_expired", "Link expired",
					"This signed link has expired; read the job again for a new one."));
			case INVALID -> Mono.error(new GatewayException(HttpStatus.FORBIDDEN, "signature_invalid",
					"Invalid signature", "This link's signature is not valid."));
		};
	}

	private static OutputCopy copy(Job job, int index) {
		List<OutputCopy> copies = job.copies();
		if (copies == null || index < 0 || index >= copies.size() || !copies.get(index).stored()) {
			throw Problems.notFound();
		}
		return copies.get(index);
	}

	private ResponseEntity<Flux<DataBuffer>> answer(String id, int index, OutputCopy copy, HttpHeaders request) {
		String etag = "\"" + copy.sha256() + "\"";
		List<String> ifNoneMatch = request.getIfNoneMatch();
		if (ifNoneMatch.contains(etag) || ifNoneMatch.contains("*")) {
			return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(FOREVER).build();
		}
		long size = copy.bytes();
		String key = OutputMirroring.key(id, index);
		MediaType type = MediaType.parseMediaType(copy.contentType());
		String range = request.getFirst(HttpHeaders.RANGE);
		String ifRange = request.getFirst(HttpHeaders.IF_RANGE);
		if (range != null && (ifRange == null || ifRange.equals(etag))) {
			Matcher bytes = RANGE.matcher(range.strip());
			if (bytes.matches() && !(bytes.group(1).isEmpty() && bytes.group(2).isEmpty())) {
				long first;
				long last;
				if (bytes.group(1).isEmpty()) {
					long suffix = Long.parseLong(bytes.group(2));
					first = Math.max(0, size - suffix);
					last = size - 1;
				}
				else {
					first = Long.parseLong(bytes.group(1));
					last = bytes.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(bytes.group(2)));
				}
				if (first >= size || first > last) {
					throw new GatewayException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range_not_satisfiable",
							"Range not satisfiable", "The image has " + size + " bytes.")
						.withHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
				}
				long length = last - first + 1;
				return ResponseEntity.status(HttpStatus.PARTIAL_CONTENT)
					.eTag(etag)
					.cacheControl(FOREVER)
					.contentType(type)
					.contentLength(length)
					.header(HttpHeaders.ACCEPT_RANGES, "bytes")
					.header(HttpHeaders.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + size)
					.body(this.storage.read(key, first, length));
			}
			// several ranges, or none the gateway reads: the whole image, as RFC 9110
			// allows
		}
		return ResponseEntity.ok()
			.eTag(etag)
			.cacheControl(FOREVER)
			.contentType(type)
			.contentLength(size)
			.header(HttpHeaders.ACCEPT_RANGES, "bytes")
			.body(this.storage.read(key, 0, size));
	}

}
