package com.imagegateway.clients;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.imagegateway.system.GatewayException;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The operator endpoints exist only with an operators' key: without one they answer 404,
 * as any path that is not there; a key that is not a hash stops the start.
 */
class AdminKeyTest {

	private static final String OPERATORS_KEY_SHA256 = "2551e0d1307449b4526e89b0c6f7af6cbc3c7b8fabab46b3c0d821a3ff1c9978";

	@Test
	void withoutAnOperatorsKeyTheOperatorEndpointsAreNotThere() {
		AdminKey none = new AdminKey(new AdminProperties(List.of()), clients());

		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> none.check("Bearer operators-secret-key"))
			.satisfies((refused) -> org.assertj.core.api.Assertions.assertThat(refused.code()).isEqualTo("not_found"));
	}

	@Test
	void theOperatorsKeyPassesAndAnyOtherIsRefused() {
		AdminKey key = new AdminKey(new AdminProperties(List.of(OPERATORS_KEY_SHA256)), clients());

		assertThatCode(() -> key.check("Bearer operators-secret-key")).doesNotThrowAnyException();
		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> key.check("Bearer guess"))
			.satisfies(
					(refused) -> org.assertj.core.api.Assertions.assertThat(refused.code()).isEqualTo("unauthorized"));
		assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> key.check(null));
	}

	@Test
	void aRawKeyWhereItsHashBelongsStopsTheStartWithoutRepeatingIt() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new AdminKey(new AdminProperties(List.of("operators-secret-key")), clients()))
			.withMessageContaining("gateway.admin.key-sha256")
			.withMessageNotContaining("operators-secret-key");
	}

	private static ClientRegistry clients() {
		return ClientFixtures.registry(Map.of());
	}

}
