package com.imagegateway.upstream.sandbox;

import java.time.Duration;

import io.swagger.v3.oas.annotations.Hidden;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import com.imagegateway.system.Problems;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves sandbox output images, standing in for the upstream's file host: like its links,
 * these need no key and disappear an hour after the job finished.
 */
@Hidden
@RestController
class SandboxFilesController {

	private final SandboxPredictions sandbox;

	SandboxFilesController(SandboxPredictions sandbox) {
		this.sandbox = sandbox;
	}

	@GetMapping(SandboxPredictions.FILES_PATH + "{id}/{index}.{extension}")
	Mono<ResponseEntity<byte[]>> file(@PathVariable String id, @PathVariable int index,
			@PathVariable String extension) {
		return Mono
			.justOrEmpty(
					ImageFormat.fromExtension(extension).flatMap((format) -> this.sandbox.image(id, index, format)))
			.switchIfEmpty(Mono.error(Problems::notFound))
			.flatMap((image) -> Mono.fromCallable(image::encode)
				.subscribeOn(Schedulers.boundedElastic())
				.map((bytes) -> ResponseEntity.ok()
					.contentType(image.format().mediaType())
					.cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePrivate())
					.body(bytes)));
	}

}
