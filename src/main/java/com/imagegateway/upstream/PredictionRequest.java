package com.imagegateway.upstream;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What to create upstream: the model and its complete {@code input}.
 *
 * @param cancelAfter how long the upstream may run the prediction before canceling it
 * (its {@code Cancel-After} header); null for the upstream's own limit
 */
public record PredictionRequest(ModelRef model, Map<String, Object> input, @Nullable Duration cancelAfter) {

	public PredictionRequest {
		input = Map.copyOf(input);
	}

	public PredictionRequest(ModelRef model, Map<String, Object> input) {
		this(model, input, null);
	}

}
