package com.imagegateway.openai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * OpenAI's {@code size} as a model's own inputs: the nearest aspect ratio it takes (by
 * the ratio's logarithm, so 2:1 is as far from 1:1 as 1:2) and the nearest megapixels, or
 * for a model that takes them a width and height rounded to its multiple.
 */
final class SizeMapping {

	private SizeMapping() {
	}

	/** The upstream inputs for {@code size}; none for {@code auto} or no size. */
	static Map<String, Object> inputs(@Nullable String size, OpenAiProperties.ModelInputs model) {
		Map<String, Object> inputs = new LinkedHashMap<>();
		if (size == null || size.equals("auto")) {
			return inputs;
		}
		String[] parts = size.split("x");
		int width = Integer.parseInt(parts[0]);
		int height = Integer.parseInt(parts[1]);
		OpenAiProperties.Dimensions dimensions = model.dimensions();
		if (dimensions != null) {
			inputs.put("width", fit(width, dimensions));
			inputs.put("height", fit(height, dimensions));
			return inputs;
		}
		inputs.put("aspect_ratio", nearestRatio(width, height, model.aspectRatios()));
		if (!model.megapixels().isEmpty()) {
			inputs.put("megapixels", nearestMegapixels(width * (double) height / 1_000_000, model.megapixels()));
		}
		return inputs;
	}

	static String nearestRatio(int width, int height, List<String> ratios) {
		double wanted = Math.log(width / (double) height);
		String nearest = ratios.getFirst();
		double distance = Double.MAX_VALUE;
		for (String ratio : ratios) {
			String[] sides = ratio.split(":");
			double far = Math.abs(Math.log(Double.parseDouble(sides[0]) / Double.parseDouble(sides[1])) - wanted);
			if (far < distance) {
				nearest = ratio;
				distance = far;
			}
		}
		return nearest;
	}

	private static String nearestMegapixels(double wanted, List<String> choices) {
		String nearest = choices.getFirst();
		double distance = Double.MAX_VALUE;
		for (String choice : choices) {
			double far = Math.abs(Math.log(Double.parseDouble(choice) / wanted));
			if (far < distance) {
				nearest = choice;
				distance = far;
			}
		}
		return nearest;
	}

	private static int fit(int side, OpenAiProperties.Dimensions dimensions) {
		int rounded = Math.round(side / (float) dimensions.multiple()) * dimensions.multiple();
		return Math.clamp(rounded, dimensions.min(), dimensions.max());
	}

}
