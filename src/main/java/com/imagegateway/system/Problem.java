package com.imagegateway.system;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** The RFC 9457 body of every error response. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "An RFC 9457 problem detail with a stable machine-readable code.")
public record Problem(
		@Schema(description = "HTTP status code.", example = "404",
				requiredMode = Schema.RequiredMode.REQUIRED) int status,
		@Schema(description = "Short summary of the problem type.", example = "Not found",
				requiredMode = Schema.RequiredMode.REQUIRED) String title,
		@Schema(description = "What went wrong for this request.",
				example = "No image job with this id.") String detail,
		@Schema(description = "The request path.", example = "/images/abc") String instance,
		@Schema(description = "Stable code to branch on.", example = "not_found",
				requiredMode = Schema.RequiredMode.REQUIRED) String code,
		@Schema(description = "Each invalid field, for validation problems.") List<FieldProblem> errors) {
}
