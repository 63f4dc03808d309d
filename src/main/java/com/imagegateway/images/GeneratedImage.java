package com.imagegateway.images;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/** One output image: a link, and when it stops working. */
@Schema(name = "GeneratedImage", description = "One generated image.")
public record GeneratedImage(
		@Schema(description = "Where to download the image.", requiredMode = Schema.RequiredMode.REQUIRED) String url,
		@Schema(description = "When the link stops working: the model provider keeps files for one hour.",
				requiredMode = Schema.RequiredMode.REQUIRED) Instant expiresAt) {
}
