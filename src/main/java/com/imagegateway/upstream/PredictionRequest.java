package com.imagegateway.upstream;

import java.util.Map;

/** What to create upstream: the model and its complete {@code input}. */
public record PredictionRequest(ModelRef model, Map<String, Object> input) {

	public PredictionRequest {
		input = Map.copyOf(input);
	}

}
