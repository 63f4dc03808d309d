package com.imagegateway.system;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;

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

	/**
	 * The first query parameter the operation does not define, as a problem: an unknown
	 * parameter is refused as an unknown body field is, since {@code ?stauts=failed}
	 * would otherwise be answered as if unfiltered.
	 */
	public static Optional<GatewayException> undefinedQueryParameter(ServerHttpRequest request, Set<String> defined) {
		for (String name : request.getQueryParams().keySet()) {
			if (!defined.contains(name)) {
				return Optional.of(invalidField(name, "is not a query parameter of this operation"));
			}
		}
		return Optional.empty();
	}

	public static GatewayException payloadTooLarge() {
		return new GatewayException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "Request body too large",
				"The request body is larger than the gateway accepts.");
	}

}
