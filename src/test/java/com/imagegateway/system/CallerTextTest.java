package com.imagegateway.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallerTextTest {

	@Test
	void ordinaryTextIsKeptAsItIs() {
		String method = "POST";
		assertThat(CallerText.safe(method)).isSameAs(method);
		assertThat(CallerText.safe("input.go_fast")).isEqualTo("input.go_fast");
	}

	@Test
	void lineBreaksAndOtherControlCharactersAreEscapedSoNoCallerTextStartsALine() {
		assertThat(CallerText.safe("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
		assertThat(CallerText.safe("a\u0000b\u001bc\u0085d\u2028e\u2029f"))
			.isEqualTo("a\\u0000b\\u001bc\\u0085d\\u2028e\\u2029f");
		assertThat(CallerText.safe("é ✓ 画像")).isEqualTo("é ✓ 画像");
	}

	@Test
	void longTextIsCutAndSaysHowMuchWasLeftOut() {
		String safe = CallerText.safe("k".repeat(1000));
		assertThat(safe).startsWith("k".repeat(CallerText.MAX_LENGTH)).endsWith("…(900 more)");
		assertThat(CallerText.safe("k".repeat(CallerText.MAX_LENGTH))).isEqualTo("k".repeat(CallerText.MAX_LENGTH));
	}

}
