package com.imagegateway.clients;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

/**
 * A client's {@link PromptRules}, compiled once. A broken rule is named ({@code
 * max-length}, {@code deny[1]}) so that callers and metrics can tell which, while the
 * prompt itself is never repeated.
 */
public final class PromptPolicy {

	public static final PromptPolicy NONE = new PromptPolicy(null, List.of());

	private final @Nullable Integer maxLength;

	private final List<Pattern> deny;

	private PromptPolicy(@Nullable Integer maxLength, List<Pattern> deny) {
		this.maxLength = maxLength;
		this.deny = deny;
	}

	/**
	 * @param property where the rules are configured, for the message when a pattern does
	 * not compile
	 */
	static PromptPolicy of(String property, PromptRules rules) {
		List<String> deny = (rules.deny() != null) ? rules.deny() : List.of();
		List<Pattern> patterns = IntStream.range(0, deny.size()).mapToObj((i) -> {
			try {
				return Pattern.compile(deny.get(i));
			}
			catch (PatternSyntaxException invalid) {
				throw new IllegalStateException(property + ".deny[" + i + "] is not a regular expression: "
						+ invalid.getDescription() + " near index " + invalid.getIndex());
			}
		}).toList();
		return (rules.maxLength() == null && patterns.isEmpty()) ? NONE : new PromptPolicy(rules.maxLength(), patterns);
	}

	/** The first rule the prompt breaks, if any. */
	public Optional<String> brokenRule(String prompt) {
		if (this.maxLength != null && prompt.length() > this.maxLength) {
			return Optional.of("max-length");
		}
		for (int i = 0; i < this.deny.size(); i++) {
			if (this.deny.get(i).matcher(prompt).find()) {
				return Optional.of("deny[" + i + "]");
			}
		}
		return Optional.empty();
	}

}
