package com.imagegateway.images;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import io.swagger.v3.oas.annotations.media.DependentRequired;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import com.imagegateway.system.FieldProblem;
import com.imagegateway.upstream.ModelRef;

/**
 * What a caller asks for; the simplified fields become the upstream's snake_case input.
 */
@Schema(name = "CreateImageRequest", description = "A request to generate images.",
		additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
		dependentRequiredMap = @DependentRequired(name = "webhookEvents", value = "webhook"))
public record CreateImageRequest(
		@Schema(description = "`owner/name`, or `owner/name:version` to pin a version.",
				example = "black-forest-labs/flux-schnell",
				requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank @Pattern(regexp = ModelRef.SYNTAX,
						message = "must be owner/name or owner/name:version") String model,

		@Schema(description = "What to draw; not only white space.", example = "a lighthouse at dawn, watercolor",
				requiredMode = Schema.RequiredMode.REQUIRED,
				pattern = NOT_BLANK) @NotBlank @Size(min = 1, max = 10000) String prompt,

		@Schema(description = "Width:height, such as `1:1` or `16:9`.", example = "1:1") @Pattern(
				regexp = "^[1-9][0-9]?:[1-9][0-9]?$",
				message = "must be width:height, such as 16:9") @Nullable String aspectRatio,

		@Schema(description = "How many images to make.", minimum = "1", maximum = "4",
				example = "1") @Min(1) @Max(4) @Nullable Integer numOutputs,

		@Schema(description = "Image file format.", allowableValues = {
				"webp", "jpg", "png" }, example = "webp") @Pattern(regexp = "^(webp|jpg|png)$",
						message = "must be one of webp, jpg, png") @Nullable String outputFormat,

		@Schema(description = "Random seed, for reproducible images.", minimum = "0",
				example = "42") @Min(0) @Nullable Long seed,

		@Schema(description = "Model-specific input passed to the model unchanged (for example `hf_lora`, "
				+ "`lora_scale`, `go_fast`). It must not repeat a field set above.",
				example = "{\"go_fast\": true}") @Nullable Map<String, Object> input,

		@Schema(description = "The longest the model may run, such as `90s`, `5m` or `1h30m` (5 s to 24 h): the "
				+ "model provider then cancels the job (status `aborted` if it never started, `canceled` if it "
				+ "did). Sent upstream as `Cancel-After`.", example = "5m", pattern = CANCEL_AFTER_SYNTAX) @Pattern(
						regexp = CANCEL_AFTER_SYNTAX, message = CANCEL_AFTER_RULE) @Nullable String cancelAfter,

		@Schema(description = "Where the gateway POSTs the job (an `ImageJob`, as `GET /images/{id}` shows it) when it "
				+ "reaches one of `webhookEvents`, signed the Standard Webhooks way with your client's webhook secret. "
				+ "An `https` URL whose host resolves to public addresses (`http` and internal hosts only when "
				+ "allowed by the gateway's configuration).", example = "https://hooks.example.com/images",
				maxLength = 2000) @Size(max = 2000) @Nullable String webhook,

		@Schema(description = "Which events `webhook` is told of: `start` (the job runs) and `completed` (it has "
				+ "finished and its images are stored). Default: `[\"completed\"]`. Only with `webhook`.",
				example = "[\"completed\"]") @Size(min = 1,
						max = 2) @Nullable List<@NotNull @Pattern(regexp = "^(start|completed)$",
								message = "must be start or completed") String> webhookEvents){

	static final String CANCEL_AFTER_SYNTAX = "^(?=[0-9])([0-9]{1,5}h)?([0-9]{1,5}m)?([0-9]{1,6}s)?$";

	/**
	 * {@code @NotBlank} as a JSON Schema pattern: at least one character that is not
	 * white space.
	 */
	static final String NOT_BLANK = "^[\\s\\S]*\\S[\\s\\S]*$";

	private static final String CANCEL_AFTER_RULE = "must be a duration such as 90s, 5m or 1h30m, from 5s to 24h";

	private static final Duration SHORTEST_CANCEL_AFTER = Duration.ofSeconds(5);

	private static final Duration LONGEST_CANCEL_AFTER = Duration.ofHours(24);

	private static final java.util.regex.Pattern CANCEL_AFTER_PARTS = java.util.regex.Pattern
		.compile("([0-9]+)([hms])");

	/** The upstream input names of the simplified fields. */
	private static final Map<String, String> UPSTREAM_NAMES = Map.of("prompt", "prompt", "aspectRatio", "aspect_ratio",
			"numOutputs", "num_outputs", "outputFormat", "output_format", "seed", "seed");

	/**
	 * What the field annotations cannot say: fields of {@link #input()} that repeat a
	 * simplified field the caller also set, and a {@code cancelAfter} out of range.
	 */
	List<FieldProblem> conflicts() {
		List<FieldProblem> conflicts = new ArrayList<>();
		Duration cancelAfter = cancelAfterDuration();
		if (cancelAfter != null && (cancelAfter.compareTo(SHORTEST_CANCEL_AFTER) < 0
				|| cancelAfter.compareTo(LONGEST_CANCEL_AFTER) > 0)) {
			conflicts.add(new FieldProblem("cancelAfter", CANCEL_AFTER_RULE));
		}
		if (this.webhookEvents != null && this.webhook == null) {
			conflicts.add(new FieldProblem("webhookEvents", "needs webhook"));
		}
		simplified().forEach((name, value) -> {
			String upstreamName = UPSTREAM_NAMES.get(name);
			if (this.input != null && this.input.containsKey(upstreamName)) {
				conflicts.add(new FieldProblem("input." + upstreamName, "repeats " + name + "; set it once"));
			}
		});
		return conflicts;
	}

	/** {@link #cancelAfter()} as a duration; null when not set. */
	@Nullable Duration cancelAfterDuration() {
		if (this.cancelAfter == null) {
			return null;
		}
		Duration total = Duration.ZERO;
		Matcher part = CANCEL_AFTER_PARTS.matcher(this.cancelAfter);
		while (part.find()) {
			long amount = Long.parseLong(part.group(1));
			total = total.plus(switch (part.group(2)) {
				case "h" -> Duration.ofHours(amount);
				case "m" -> Duration.ofMinutes(amount);
				default -> Duration.ofSeconds(amount);
			});
		}
		return total;
	}

	/**
	 * The events {@link #webhook()} is told of: those asked for, or {@code completed}.
	 */
	List<WebhookEvent> webhookEventsOrDefault() {
		if (this.webhookEvents == null) {
			return List.of(WebhookEvent.COMPLETED);
		}
		return this.webhookEvents.stream()
			.distinct()
			.map((event) -> WebhookEvent.fromValue(event).orElseThrow())
			.sorted()
			.toList();
	}

	/**
	 * How many images the request asks for, as the estimate of its cost counts them:
	 * {@code numOutputs}, or the model-specific {@code num_outputs}, or one.
	 */
	int imagesAsked() {
		if (this.numOutputs != null) {
			return this.numOutputs;
		}
		if (this.input != null && this.input.get("num_outputs") instanceof Number asked && asked.intValue() > 0) {
			return asked.intValue();
		}
		return 1;
	}

	/** The complete upstream input. */
	Map<String, Object> upstreamInput() {
		Map<String, Object> upstream = new LinkedHashMap<>();
		if (this.input != null) {
			this.input.forEach((key, value) -> {
				if (value != null) {
					upstream.put(key, value);
				}
			});
		}
		simplified().forEach((name, value) -> upstream.put(UPSTREAM_NAMES.get(name), value));
		return upstream;
	}

	private Map<String, Object> simplified() {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("prompt", this.prompt);
		putIfSet(fields, "aspectRatio", this.aspectRatio);
		putIfSet(fields, "numOutputs", this.numOutputs);
		putIfSet(fields, "outputFormat", this.outputFormat);
		putIfSet(fields, "seed", this.seed);
		return fields;
	}

	private static void putIfSet(Map<String, Object> fields, String name, @Nullable Object value) {
		if (value != null) {
			fields.put(name, value);
		}
	}

}
