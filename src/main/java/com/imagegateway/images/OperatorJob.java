package com.imagegateway.images;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A job as the operators see it: what its client sees, and where it runs.
 *
 * @param client the client that created it
 * @param upstreamKey the upstream key it was created with (its fallback's after a
 * failover), which its reads, cancel and images went to
 * @param job the job as its client reads it
 */
@Schema(name = "OperatorJob", description = "A job as the operators see it.")
record OperatorJob(
		@Schema(description = "The client that created it.", example = "team-a",
				requiredMode = Schema.RequiredMode.REQUIRED) String client,
		@Schema(description = "The upstream key it was created with: the client's own, its fallback after a "
				+ "failover, or `sandbox`.", example = "default",
				requiredMode = Schema.RequiredMode.REQUIRED) String upstreamKey,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) ImageJob job) {
}
