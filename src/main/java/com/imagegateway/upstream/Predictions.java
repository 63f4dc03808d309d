package com.imagegateway.upstream;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * The Replicate-compatible predictions API, served either by the real upstream or by the
 * built-in sandbox. Failures are {@link UpstreamException}s.
 */
public interface Predictions {

	Mono<Prediction> create(PredictionRequest request);

	Mono<Prediction> get(String id);

	Mono<Prediction> cancel(String id);

	/**
	 * The bytes of an output file, streamed, from where this upstream's output links
	 * point. A link the upstream no longer serves fails with an {@link UpstreamException}
	 * whose {@link UpstreamException#upstreamStatus()} is 404 or 410.
	 */
	Flux<DataBuffer> output(String url);

}
