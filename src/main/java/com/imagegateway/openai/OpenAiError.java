package com.imagegateway.openai;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An error as OpenAI's API shapes it, which its SDKs read: the HTTP status picks the
 * SDK's exception type, {@code code} is the gateway's own problem code.
 */
@Schema(name = "OpenAiError", description = "An error in OpenAI's shape.")
record OpenAiError(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Detail error) {

	@Schema(name = "OpenAiErrorDetail")
	record Detail(@Schema(description = "What went wrong.", requiredMode = Schema.RequiredMode.REQUIRED) String message,
			@Schema(description = "`invalid_request_error`, `authentication_error`, `permission_error`, "
					+ "`not_found_error`, `rate_limit_error` or `server_error`.",
					requiredMode = Schema.RequiredMode.REQUIRED) String type,
			@Schema(description = "The request field at fault, if one is.", nullable = true) @Nullable String param,
			@Schema(description = "The gateway's problem code (as on `/images`), or `invalid_api_key`.",
					requiredMode = Schema.RequiredMode.REQUIRED) String code) {
	}

}
