package com.imagegateway.clients;

import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;

/**
 * What a client's prompts may not be; an unset part falls back to
 * {@code gateway.defaults.prompt}.
 *
 * @param maxLength the longest prompt, in characters
 * @param deny regular expressions (Java syntax; {@code (?i)} for any case) a prompt must
 * not contain anywhere; a client's list replaces the default list
 */
public record PromptRules(@Min(1) @Nullable Integer maxLength, @Nullable List<@NotBlank String> deny) {

	public static final PromptRules NONE = new PromptRules(null, null);

	PromptRules orElse(PromptRules defaults) {
		return new PromptRules((this.maxLength != null) ? this.maxLength : defaults.maxLength,
				(this.deny != null) ? this.deny : defaults.deny);
	}

}
