package com.imagegateway.openai;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenAI's {@code size} as a model's own inputs: the nearest aspect ratio and megapixels
 * it takes, or width and height rounded to its multiple; nothing for {@code auto}.
 */
class SizeMappingTest {

	private static final List<String> FLUX_RATIOS = List.of("1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4",
			"4:3", "9:16", "9:21");

	private static final OpenAiProperties.ModelInputs FLUX = new OpenAiProperties.ModelInputs(4, FLUX_RATIOS,
			List.of("1", "0.25"), null);

	@Test
	void aSizeIsTheNearestAspectRatioAndMegapixelsTheModelTakes() {
		assertThat(SizeMapping.inputs("1536x1024", FLUX)).isEqualTo(Map.of("aspect_ratio", "3:2", "megapixels", "1"));
		assertThat(SizeMapping.inputs("1024x1536", FLUX)).isEqualTo(Map.of("aspect_ratio", "2:3", "megapixels", "1"));
		assertThat(SizeMapping.inputs("1792x1024", FLUX)).containsEntry("aspect_ratio", "16:9");
		assertThat(SizeMapping.inputs("512x512", FLUX)).isEqualTo(Map.of("aspect_ratio", "1:1", "megapixels", "0.25"));
		assertThat(SizeMapping.inputs("256x256", FLUX)).containsEntry("megapixels", "0.25");
	}

	@Test
	void aModelWithoutMegapixelsGetsTheRatioOnly() {
		OpenAiProperties.ModelInputs lora = new OpenAiProperties.ModelInputs(4, FLUX_RATIOS, List.of(), null);

		assertThat(SizeMapping.inputs("1536x1024", lora)).isEqualTo(Map.of("aspect_ratio", "3:2"));
	}

	@Test
	void aModelThatTakesWidthAndHeightGetsThemRoundedToItsMultipleWithinItsBounds() {
		OpenAiProperties.ModelInputs sized = new OpenAiProperties.ModelInputs(1, FLUX_RATIOS, List.of(),
				new OpenAiProperties.Dimensions(64, 256, 1440));

		assertThat(SizeMapping.inputs("1000x700", sized)).isEqualTo(Map.of("width", 1024, "height", 704));
		assertThat(SizeMapping.inputs("4096x100", sized)).isEqualTo(Map.of("width", 1440, "height", 256));
	}

	@Test
	void autoOrNoSizeLeavesTheModelsOwnDefault() {
		assertThat(SizeMapping.inputs("auto", FLUX)).isEmpty();
		assertThat(SizeMapping.inputs(null, FLUX)).isEmpty();
	}

	@Test
	void moreImagesThanTheModelMakesAtOnceAreSplitIntoJobsOfAtMostThatMany() {
		assertThat(ImageGenerations.batches(10, 4)).containsExactly(4, 4, 2);
		assertThat(ImageGenerations.batches(4, 4)).containsExactly(4);
		assertThat(ImageGenerations.batches(3, 1)).containsExactly(1, 1, 1);
	}

}
