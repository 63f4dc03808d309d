package com.imagegateway.clients;

import org.junit.jupiter.api.Test;

import com.imagegateway.upstream.UpstreamProperties;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/** Operators get a clear start-up failure for a client configuration that cannot work. */
class ClientConfigurationTest {

	private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"; // "test"

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(ClientsSetup.class)
		.withPropertyValues("gateway.upstream.base-url=https://upstream.example/replicate",
				"gateway.upstream.keys.default=hk-configured");

	@Test
	void authenticatesByTheSha256OfTheCallersKey() {
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH,
					"gateway.clients.team-a.models=black-forest-labs/flux-schnell")
			.run((context) -> {
				ClientRegistry registry = context.getBean(ClientRegistry.class);
				assertThat(registry.authenticate("test")).hasValueSatisfying((client) -> {
					assertThat(client.name()).isEqualTo("team-a");
					assertThat(client.upstream()).isEqualTo("default");
					assertThat(client.models()).containsExactly("black-forest-labs/flux-schnell");
				});
				assertThat(registry.authenticate("tesT")).isEmpty();
				assertThat(registry.authenticate(HASH)).isEmpty();
				assertThat(registry.authenticate("")).isEmpty();
			});
	}

	@Test
	void acceptsTheOldAndTheNewKeyOfAClientWhileItsKeyIsRotated() {
		String newKeyHash = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"; // "test2"
		this.runner.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH + "," + newKeyHash)
			.run((context) -> {
				ClientRegistry registry = context.getBean(ClientRegistry.class);
				assertThat(registry.authenticate("test")).map(GatewayClient::name).hasValue("team-a");
				assertThat(registry.authenticate("test2")).map(GatewayClient::name).hasValue("team-a");
				assertThat(registry.clients()).hasSize(1);
			});
	}

	@Test
	void refusesAClientNamingAnUpstreamKeyThatDoesNotExist() {
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH,
					"gateway.clients.team-a.upstream-key=marketing")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("gateway.clients.team-a.upstream-key names 'marketing'")
				.hasMessageContaining("[default]"));
	}

	@Test
	void refusesAMalformedKeyHashWithoutRepeatingIt() {
		this.runner.withPropertyValues("gateway.clients.team-a.key-sha256=raw-caller-key-by-mistake")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("gateway.clients.team-a.key-sha256 must be the 64 hex digits")
				.hasMessageNotContaining("raw-caller-key-by-mistake"));
	}

	@Test
	void refusesARealClientWithoutABaseUrl() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withUserConfiguration(ClientsSetup.class)
			.withPropertyValues("gateway.upstream.keys.default=hk-configured",
					"gateway.clients.team-a.key-sha256=" + HASH)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(
						"gateway.upstream.base-url (or gateway.upstream.keys.default.base-url) must be set"));
	}

	@Test
	void anUpstreamKeyMayBeOfAnotherAccountWithItsOwnBaseUrl() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withUserConfiguration(ClientsSetup.class)
			.withPropertyValues("gateway.upstream.keys.default=hk-configured",
					"gateway.upstream.keys.second.key=hk-second",
					"gateway.upstream.keys.second.base-url=https://other.example/replicate",
					"gateway.clients.team-a.key-sha256=" + HASH, "gateway.clients.team-a.upstream-key=second")
			.run((context) -> {
				UpstreamProperties upstream = context.getBean(UpstreamProperties.class);
				assertThat(upstream.keys().get("default").key()).isEqualTo("hk-configured");
				assertThat(upstream.keys().get("second").key()).isEqualTo("hk-second");
				assertThat(upstream.baseUrlOf("second")).hasToString("https://other.example/replicate");
				assertThat(upstream.baseUrlOf("default")).isNull();
				assertThat(context.getBean(ClientRegistry.class).authenticate("test")).isPresent();
			});
	}

	@Test
	void refusesAFallbackUpstreamKeyThatIsUnknownOrTheClientsOwn() {
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH,
					"gateway.clients.team-a.fallback-upstream-key=elsewhere")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("gateway.clients.team-a.fallback-upstream-key names 'elsewhere'"));
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH,
					"gateway.clients.team-a.fallback-upstream-key=default")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("must name another upstream key than its upstream-key"));
	}

	@Test
	void aCacheIsSharedOnlyWithTheClientsItNamesAndNeverWithAnUnknownOne() {
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH, "gateway.clients.team-a.cache.ttl=1d",
					"gateway.clients.team-a.cache.shared-with=team-b",
					"gateway.clients.team-b.key-sha256=" + "ab".repeat(32),
					"gateway.clients.team-c.key-sha256=" + "cd".repeat(32))
			.run((context) -> {
				ClientRegistry registry = context.getBean(ClientRegistry.class);
				assertThat(registry.named("team-b").orElseThrow().cache().readsFrom()).containsExactly("team-b",
						"team-a");
				assertThat(registry.named("team-c").orElseThrow().cache().readsFrom()).containsExactly("team-c");
				assertThat(registry.named("team-a").orElseThrow().cache().readsFrom()).containsExactly("team-a");
			});
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH, "gateway.clients.team-a.cache.ttl=1d",
					"gateway.clients.team-a.cache.shared-with=team-typo")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(
						"gateway.clients.team-a.cache.shared-with names 'team-typo', which is not a client"));
	}

	@Test
	void refusesARealClientWhoseUpstreamKeyIsEmpty() {
		this.runner.withPropertyValues("gateway.upstream.keys.default=", "gateway.clients.team-a.key-sha256=" + HASH)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("which is empty")
				.hasMessageContaining("UPSTREAM_API_KEY"));
	}

	@Test
	void refusesTwoClientsSharingAKey() {
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH,
					"gateway.clients.team-b.key-sha256=" + HASH.toUpperCase())
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("repeats a key hash"));
	}

	@Test
	void refusesADenyRuleThatIsNotARegularExpressionNamingWhichOne() {
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH,
					"gateway.clients.team-a.prompt.deny[0]=fine", "gateway.clients.team-a.prompt.deny[1]=(unclosed")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("gateway.clients.team-a.prompt.deny[1] is not a regular expression"));
	}

	@Test
	void refusesADefaultDeadlineLongerThanTheMaximum() {
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH, "gateway.defaults.max-cancel-after=10m",
					"gateway.clients.team-a.default-cancel-after=1h")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(
						"gateway.clients.team-a.default-cancel-after is longer than its max-cancel-after"));
	}

	@Test
	void refusesADeadlineOutsideWhatTheUpstreamAccepts() {
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH,
					"gateway.clients.team-a.max-cancel-after=2d")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("clients[team-a].maxCancelAfter")
				.hasMessageContaining("must be shorter than or equal to 24 hours"));
	}

	@Test
	void aClientsPromptRulesFallBackToTheDefaultsPartByPart() {
		this.runner
			.withPropertyValues("gateway.clients.team-a.key-sha256=" + HASH, "gateway.defaults.prompt.max-length=10",
					"gateway.defaults.prompt.deny=cats", "gateway.clients.team-a.prompt.deny=dogs")
			.run((context) -> {
				PromptPolicy prompt = context.getBean(ClientRegistry.class).authenticate("test").orElseThrow().prompt();
				assertThat(prompt.brokenRule("two dogs")).hasValue("deny[0]");
				assertThat(prompt.brokenRule("two cats")).isEmpty();
				assertThat(prompt.brokenRule("a cat and a dog")).hasValue("max-length");
			});
	}

	@Test
	void aSandboxClientNeedsNeitherBaseUrlNorUpstreamKey() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
			.withUserConfiguration(ClientsSetup.class)
			.withPropertyValues("gateway.clients.demo.key-sha256=" + HASH, "gateway.clients.demo.sandbox=true")
			.run((context) -> assertThat(context.getBean(ClientRegistry.class).authenticate("test"))
				.hasValueSatisfying((client) -> assertThat(client.upstream()).isEqualTo("sandbox")));
	}

	@Test
	void neverPrintsUpstreamKeys() {
		this.runner.run((context) -> assertThat(context.getBean(UpstreamProperties.class).toString())
			.doesNotContain("hk-configured")
			.contains("default"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ ClientsProperties.class, UpstreamProperties.class, DefaultLimitsProperties.class })
	@Import({ ClientRegistry.class, ClientsConfiguration.class })
	static class ClientsSetup {

	}

}
