package com.imagegateway.images;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** One page of a caller's jobs, newest first. */
@Schema(name = "ImageJobPage", description = "One page of jobs, newest first.")
public record ImageJobPage(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<ImageJob> items,
		@Schema(description = "Pass as `cursor` for the next page; null on the last page.",
				nullable = true) @Nullable String nextCursor) {
}
