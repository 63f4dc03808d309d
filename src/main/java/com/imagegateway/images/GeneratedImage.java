package com.imagegateway.images;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** One output image: where to get it, and whether the gateway keeps it. */
@Schema(name = "GeneratedImage", description = "One generated image.")
public record GeneratedImage(
		@Schema(description = "Where to download the image: the gateway's own link (your key) once it is stored, "
				+ "the model provider's link until then.", requiredMode = Schema.RequiredMode.REQUIRED) String url,
		@Schema(description = "Whether the gateway stores the image, past the model provider's one-hour links.",
				requiredMode = Schema.RequiredMode.REQUIRED) boolean stored,
		@Schema(description = "The image's type, as its bytes show it, once stored.", example = "image/webp",
				nullable = true) @Nullable String contentType,
		@Schema(description = "The image's size in bytes, once stored.", nullable = true) @Nullable Long bytes,
		@Schema(description = "When `url` stops working (the model provider keeps files for one hour); null once "
				+ "stored.", nullable = true) @Nullable Instant expiresAt,
		@Schema(description = "A link that works without a key until it expires (by default within an hour), for "
				+ "a web page; null until stored.", nullable = true) @Nullable String signedUrl,
		@Schema(description = "Why the image is not stored: `too_large`, `not_an_image`, `type_not_allowed` or "
				+ "`lost` (its link expired or was gone before a download succeeded); null while it is being stored.",
				nullable = true) @Nullable String notStoredReason) {
}
