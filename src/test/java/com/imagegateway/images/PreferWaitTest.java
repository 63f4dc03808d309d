package com.imagegateway.images;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PreferWaitTest {

	@ParameterizedTest(name = "''{0}'' waits {1}s")
	@CsvSource(delimiter = '|', value = { "wait|60", "wait=5|5", "WAIT=5|5", "wait=60|60", "wait=600|60", "wait=0|0",
			"respond-async, wait=7|7", "wait=\"9\"|9", "handling=lenient; wait=3|-1", "wait=3; x=y|3" })
	void readsTheWaitPreferenceAndCapsItAtSixtySeconds(String header, long seconds) {
		var wait = PreferWait.parse(header);
		if (seconds < 0) {
			assertThat(wait).isEmpty();
		}
		else {
			assertThat(wait).map(PreferWait::duration).hasValue(Duration.ofSeconds(seconds));
			assertThat(wait.get().applied()).isEqualTo("wait=" + seconds);
		}
	}

	@ParameterizedTest(name = "''{0}'' is ignored")
	@CsvSource(delimiter = '|', value = { "wait=-1", "wait=soon", "return=minimal", "''" })
	void ignoresPreferencesItCannotRead(String header) {
		assertThat(PreferWait.parse(header)).isEmpty();
	}

}
