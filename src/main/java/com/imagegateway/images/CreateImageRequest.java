package com.imagegateway.images;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import com.imagegateway.system.FieldProblem;
import com.imagegateway.upstream.ModelRef;

/** What a caller asks for; the simplified fields become the upstream's snake_case input. */
@Schema(name = "CreateImageRequest", description = "A request to generate images.")
public record CreateImageRequest(
		@Schema(description = "`owner/name`, or `owner/name:version` to pin a version.",
				example = "black-forest-labs/flux-schnell", requiredMode = Schema.RequiredMode.REQUIRED)
		@NotBlank @Pattern(regexp = ModelRef.SYNTAX, message = "must be owner/name or owner/name:version") String model,

		@Schema(description = "What to draw.", example = "a lighthouse at dawn, watercolor",
				requiredMode = Schema.RequiredMode.REQUIRED)
		@NotBlank @Size(max = 10000) String prompt,

		@Schema(description = "Width:height, such as `1:1` or `16:9`.", example = "1:1")
		@Pattern(regexp = "[1-9][0-9]?:[1-9][0-9]?", message = "must be width:height, such as 16:9") @Nullable String aspectRatio,

		@Schema(description = "How many images to make.", minimum = "1", maximum = "4", example = "1")
		@Min(1) @Max(4) @Nullable Integer numOutputs,

		@Schema(description = "Image file format.", allowableValues = { "webp", "jpg", "png" }, example = "webp")
		@Pattern(regexp = "webp|jpg|png", message = "must be one of webp, jpg, png") @Nullable String outputFormat,

		@Schema(description = "Random seed, for reproducible images.", minimum = "0", example = "42")
		@Min(0) @Nullable Long seed,

		@Schema(description = "Model-specific input passed to the model unchanged (for example `hf_lora`, "
				+ "`lora_scale`, `go_fast`). It must not repeat a field set above.",
				example = "{\"go_fast\": true}")
		@Nullable Map<String, Object> input) {

	/** The upstream input names of the simplified fields. */
	private static final Map<String, String> UPSTREAM_NAMES = Map.of("prompt", "prompt", "aspectRatio", "aspect_ratio",
			"numOutputs", "num_outputs", "outputFormat", "output_format", "seed", "seed");

	/** Fields of {@link #input()} that repeat a simplified field the caller also set. */
	List<FieldProblem> conflicts() {
		List<FieldProblem> conflicts = new ArrayList<>();
		simplified().forEach((name, value) -> {
			String upstreamName = UPSTREAM_NAMES.get(name);
			if (this.input != null && this.input.containsKey(upstreamName)) {
				conflicts.add(new FieldProblem("input." + upstreamName, "repeats " + name + "; set it once"));
			}
		});
		return conflicts;
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
