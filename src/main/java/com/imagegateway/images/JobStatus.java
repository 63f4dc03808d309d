package com.imagegateway.images;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** Where a job is in its life; the last four never change again. */
@Schema(name = "JobStatus", enumAsRef = true,
		description = "`starting` and `processing` are running; the others are final and never change.")
public enum JobStatus {

	STARTING, PROCESSING, SUCCEEDED, FAILED, CANCELED, ABORTED;

	public boolean terminal() {
		return this != STARTING && this != PROCESSING;
	}

	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The status for an upstream status string; empty for one the gateway does not know.
	 */
	public static Optional<JobStatus> fromValue(String value) {
		for (JobStatus status : values()) {
			if (status.value().equals(value)) {
				return Optional.of(status);
			}
		}
		return Optional.empty();
	}

}
