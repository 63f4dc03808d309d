package com.imagegateway.openai;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import com.imagegateway.upstream.ModelRef;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * The OpenAI Images API the gateway also speaks ({@code /v1}).
 *
 * @param models model names callers may send as {@code model}, each an alias of an
 * {@code owner/name} or {@code owner/name:version}
 * @param defaultModel the model of a request that names none: an alias or
 * {@code owner/name[:version]}
 * @param holdFor ({@code wait}) how long a generation is held for its images before it
 * answers 504 with the job's id (below the idle timeouts of common load balancers)
 * @param inputs what each model ({@code owner/name}) takes, for mapping {@code n} and
 * {@code size}; a model not listed takes what {@code default-inputs} says
 * @param defaultInputs what a model not listed in {@code inputs} takes
 */
@Validated
@ConfigurationProperties("gateway.openai")
public record OpenAiProperties(
		@DefaultValue Map<String, @Pattern(regexp = ModelRef.SYNTAX,
				message = "must be owner/name or owner/name:version") String> models,
		@DefaultValue("black-forest-labs/flux-schnell") String defaultModel,
		@Name("wait") @NotNull @DefaultValue("55s") Duration holdFor,
		@DefaultValue Map<String, @Valid @NotNull ModelInputs> inputs,
		@Valid @NotNull @DefaultValue ModelInputs defaultInputs) {

	/**
	 * What a model takes.
	 *
	 * @param maxOutputs the most images one job of it makes ({@code num_outputs}); a
	 * request for more is several jobs
	 * @param aspectRatios the {@code aspect_ratio} values it takes; a {@code size} is
	 * sent as the nearest
	 * @param megapixels the {@code megapixels} values it takes, if any; a {@code size} is
	 * sent as the nearest
	 * @param dimensions set for a model that takes {@code width} and {@code height}
	 * instead of an aspect ratio
	 */
	public record ModelInputs(@Min(1) @Max(10) @DefaultValue("4") int maxOutputs, @DefaultValue( {
			"1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16",
			"9:21" }) List<@Pattern(regexp = "[1-9][0-9]?:[1-9][0-9]?") String> aspectRatios,
			@DefaultValue List<String> megapixels, @Valid @Nullable Dimensions dimensions){
	}

	/**
	 * @param multiple what width and height must be multiples of
	 * @param min the least width or height
	 * @param max the most width or height
	 */
	public record Dimensions(@Min(1) @DefaultValue("16") int multiple, @Min(1) @DefaultValue("256") int min,
			@Min(1) @DefaultValue("1440") int max) {
	}

}
