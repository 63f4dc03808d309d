package com.imagegateway.system;

import io.swagger.v3.oas.annotations.media.Schema;

/** One invalid field of a request, as listed in a validation problem. */
@Schema(name = "FieldProblem", description = "One invalid field of the request.")
public record FieldProblem(
		@Schema(description = "JSON path of the field, such as `numOutputs` or `input.seed`.",
				requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 120) String field,
		@Schema(description = "What is wrong with it.", requiredMode = Schema.RequiredMode.REQUIRED) String message) {

	public FieldProblem {
		// a field's name can be whatever the caller sent as a JSON key
		field = CallerText.safe(field);
	}

}
