package com.imagegateway.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** OpenAI's answer to an image generation: every image asked for, stored. */
@Schema(name = "OpenAiImagesResponse", description = "OpenAI's images response.")
record ImagesResponse(
		@Schema(description = "When the images were made, in Unix seconds.",
				requiredMode = Schema.RequiredMode.REQUIRED) long created,
		@Schema(description = "One per image asked for.", requiredMode = Schema.RequiredMode.REQUIRED) List<Image> data,
		@JsonProperty("output_format") @Schema(description = "The images' format.", allowableValues = {
				"png", "jpeg", "webp" }, requiredMode = Schema.RequiredMode.REQUIRED) String outputFormat,
		@Schema(description = "The size asked for, or `auto`.", example = "1536x1024",
				requiredMode = Schema.RequiredMode.REQUIRED) String size){

	/**
	 * One image: a link or its bytes, never both (a {@code null} beside the other trips
	 * clients that test for presence).
	 */
	@Schema(name = "OpenAiImage", description = "One image: `url` or `b64_json`, as `response_format` asked.")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Image(
			@Schema(description = "A signed link to the image the gateway stores: it works without a key "
					+ "until it expires (`gateway.storage.signed-url-ttl`).") @Nullable String url,
			@JsonProperty("b64_json") @Schema(description = "The image's bytes, base64.") @Nullable String b64Json) {
	}

}
