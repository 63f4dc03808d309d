package com.imagegateway.system;

import java.util.List;

import org.springframework.http.HttpStatus;

/** Problems raised by more than one feature, so that each keeps one code and wording. */
public final class Problems {

	private Problems() {
	}

	public static GatewayException notFound() {
		return new GatewayException(HttpStatus.NOT_FOUND, "not_found", "Not found",
				"Nothing exists at this path for your key.");
	}

	public static GatewayException invalidFields(List<FieldProblem> errors) {
		String detail = (errors.size() == 1) ? errors.getFirst().field() + " " + errors.getFirst().message()
				: errors.size() + " fields are invalid.";
		return new GatewayException(HttpStatus.BAD_REQUEST, "validation_failed", "Invalid request", detail, errors,
				null);
	}

	public static GatewayException invalidField(String field, String message) {
		return invalidFields(List.of(new FieldProblem(field, message)));
	}

	public static GatewayException payloadTooLarge() {
		return new GatewayException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "Request body too large",
				"The request body is larger than the gateway accepts.");
	}

}
