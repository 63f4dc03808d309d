package com.imagegateway.system;

import io.swagger.v3.oas.annotations.media.Schema;

/** One invalid field of a request, as listed in a validation problem. */
@Schema(name = "FieldProblem", description = "One invalid field of the request.")
public record FieldProblem(
		@Schema(description = "JSON path of the field, such as `numOutputs` or `input.seed`.",
				requiredMode = Schema.RequiredMode.REQUIRED) String field,
		@Schema(description = "What is wrong with it.", requiredMode = Schema.RequiredMode.REQUIRED) String message) {
}
