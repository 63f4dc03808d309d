package com.imagegateway.upstream;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A prediction as the upstream returns it. Only what the gateway uses is read: the
 * upstream's {@code urls} (which point at api.replicate.com), its {@code logs} and its
 * echo of the input are dropped here so they cannot reach a caller.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Prediction(String id, @Nullable String model, @Nullable String version, @Nullable String status,
		@Nullable JsonNode output, @Nullable JsonNode error, @Nullable Instant createdAt, @Nullable Instant startedAt,
		@Nullable Instant completedAt, @Nullable Metrics metrics) {

	/** The output URLs, whether the upstream sent one string or an array of them. */
	public List<String> outputUrls() {
		if (this.output == null || this.output.isNull()) {
			return List.of();
		}
		if (this.output.isString()) {
			return List.of(this.output.asString());
		}
		if (this.output.isArray()) {
			return this.output.valueStream().filter(JsonNode::isString).map(JsonNode::asString).toList();
		}
		return List.of();
	}

	/** The upstream's error as text, whatever shape it was sent in. */
	public @Nullable String errorText() {
		if (this.error == null || this.error.isNull()) {
			return null;
		}
		return this.error.isString() ? this.error.asString() : this.error.toString();
	}

	public @Nullable Double predictTime() {
		return (this.metrics != null) ? this.metrics.predictTime() : null;
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	public record Metrics(@Nullable Double predictTime, @Nullable Integer imageCount) {
	}

}
