package com.imagegateway.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's image generation request, as its SDKs send it. Fields without meaning for
 * these models are accepted and ignored; any other field is refused.
 */
@Schema(name = "OpenAiImageGenerationRequest", description = "OpenAI's `POST /v1/images/generations` body.",
		additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
record ImageGenerationRequest(
		@Schema(description = "What to draw.", example = "a lighthouse at dawn, watercolor",
				requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank @Size(max = 10000) String prompt,
		@Schema(description = "A model alias (`GET /v1/models`) or `owner/name[:version]`; absent: the gateway's "
				+ "default model.", example = "flux-schnell") @Size(max = 200) @Nullable String model,
		@Schema(description = "How many images, 1 to 10: several jobs when the model makes fewer at once.",
				minimum = "1", maximum = "10", example = "1") @Min(1) @Max(10) @Nullable Integer n,
		@Schema(description = "`WxH` or `auto`: sent as the nearest aspect ratio (and megapixels) the model takes, "
				+ "or as width and height for models that take them.", example = "1536x1024", pattern = SIZE) @Pattern(
						regexp = SIZE, message = "must be WxH (such as 1024x1024) or auto") @Nullable String size,
		@JsonProperty("response_format") @Schema(
				description = "`url` (default): a signed link to the stored image; " + "`b64_json`: its bytes.",
				allowableValues = {
						"url", "b64_json" }) @Pattern(regexp = "^(url|b64_json)$",
								message = "must be url or b64_json") @Nullable String responseFormat,
		@JsonProperty("output_format") @Schema(description = "Image format; default `png`.",
				allowableValues = { "png", "jpeg", "webp" }) @Pattern(regexp = "^(png|jpeg|webp)$",
						message = "must be png, jpeg or webp") @Nullable String outputFormat,
		@JsonProperty("output_compression") @Schema(description = "Quality of `jpeg` and `webp`, 0 to 100.",
				minimum = "0", maximum = "100") @Min(0) @Max(100) @Nullable Integer outputCompression,
		@Schema(description = "Accepted and ignored: these models have no quality setting.") @Size(
				max = 100) @Nullable String quality,
		@Schema(description = "Accepted and ignored: these models have no style setting.") @Size(
				max = 100) @Nullable String style,
		@Schema(description = "Accepted and ignored: these models make opaque images.") @Size(
				max = 100) @Nullable String background,
		@Schema(description = "Accepted and ignored: the model provider moderates.") @Size(
				max = 100) @Nullable String moderation,
		@Schema(description = "Accepted and ignored: the gateway knows the caller by its key.") @Size(
				max = 500) @Nullable String user,
		@Schema(description = "Extension: random seed, for reproducible images.", minimum = "0",
				example = "42") @Min(0) @Nullable Long seed,
		@JsonProperty("aspect_ratio") @Schema(description = "Extension: `W:H`, sent as is, in place of `size`.",
				example = "16:9") @Pattern(regexp = "^[1-9][0-9]?:[1-9][0-9]?$",
						message = "must be width:height, such as 16:9") @Nullable String aspectRatio){

	static final String SIZE = "^(auto|[1-9][0-9]{1,4}x[1-9][0-9]{1,4})$";

	int images() {
		return (this.n != null) ? this.n : 1;
	}

	boolean base64() {
		return "b64_json".equals(this.responseFormat);
	}

	/** The format asked for, as OpenAI names it. */
	String format() {
		return (this.outputFormat != null) ? this.outputFormat : "png";
	}

}
