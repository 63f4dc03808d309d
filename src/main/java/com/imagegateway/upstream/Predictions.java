package com.imagegateway.upstream;

import reactor.core.publisher.Mono;

/**
 * The Replicate-compatible predictions API, served either by the real upstream or by the
 * built-in sandbox. Failures are {@link UpstreamException}s.
 */
public interface Predictions {

	Mono<Prediction> create(PredictionRequest request);

	Mono<Prediction> get(String id);

	Mono<Prediction> cancel(String id);

}
