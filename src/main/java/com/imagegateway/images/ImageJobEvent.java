package com.imagegateway.images;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One event of a job's event stream, as the OpenAPI document describes it: the stream
 * itself is written by {@link JobEvents} as Server-Sent Events, whose {@code data} is
 * text.
 */
@Schema(name = "ImageJobEvent", description = "One Server-Sent Event of `GET /images/{id}/events`.")
record ImageJobEvent(@Schema(
		description = "The status's place in the job's life: 1 `starting`, 2 `processing`, 3 finished. Send the "
				+ "last one received back as `Last-Event-ID` to resume.",
		example = "2", requiredMode = Schema.RequiredMode.REQUIRED) String id,
		@Schema(description = "The event's type.", allowableValues = JobEvents.STATUS,
				requiredMode = Schema.RequiredMode.REQUIRED) String event,
		@Schema(description = "The job as JSON, as `GET /images/{id}` shows it.", contentMediaType = "application/json",
				contentSchema = ImageJob.class, requiredMode = Schema.RequiredMode.REQUIRED) String data) {
}
