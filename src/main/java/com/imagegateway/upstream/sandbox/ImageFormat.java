package com.imagegateway.upstream.sandbox;

import java.util.Locale;
import java.util.Optional;

import org.springframework.http.MediaType;

/**
 * The output formats the sandbox renders, named as the upstream's {@code output_format}.
 */
enum ImageFormat {

	WEBP("webp", MediaType.parseMediaType("image/webp")),

	JPG("jpg", MediaType.IMAGE_JPEG),

	PNG("png", MediaType.IMAGE_PNG);

	private final String extension;

	private final MediaType mediaType;

	ImageFormat(String extension, MediaType mediaType) {
		this.extension = extension;
		this.mediaType = mediaType;
	}

	String extension() {
		return this.extension;
	}

	MediaType mediaType() {
		return this.mediaType;
	}

	static Optional<ImageFormat> fromExtension(String extension) {
		String lower = extension.toLowerCase(Locale.ROOT);
		for (ImageFormat format : values()) {
			if (format.extension.equals(lower) || (format == JPG && lower.equals("jpeg"))) {
				return Optional.of(format);
			}
		}
		return Optional.empty();
	}

}
