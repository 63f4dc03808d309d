package com.imagegateway;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import com.imagegateway.upstream.UpstreamResilience;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole gateway on a random port against the WireMock upstream. Every answer is
 * checked against the committed OpenAPI document ({@link ContractCheck}). After every
 * test it checks that the upstream's API saw only the upstream key (and its file host no
 * key at all), and that no key ever appeared in a response or a log line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
public abstract class GatewayIntegrationTest {

	public static final String TEAM_A_KEY = "team-a-secret-key";

	public static final String TEAM_B_KEY = "team-b-secret-key";

	/**
	 * Used by one test only, which needs a client whose job list no other test touches.
	 */
	public static final String TEAM_C_KEY = "team-c-secret-key";

	/** Creates 2 and reads 3 per minute. */
	public static final String LIMITED_KEY = "team-limited-secret-key";

	/** At most one running job. */
	public static final String CAPPED_KEY = "team-capped-secret-key";

	/** Creates 20 per minute; only the flood test uses it. */
	public static final String FLOOD_KEY = "team-flood-secret-key";

	public static final String SANDBOX_KEY = "sandbox-secret-key";

	/** Ten one-image flux-schnell jobs a day. */
	public static final String BUDGET_KEY = "team-budget-secret-key";

	/** No budget; only the spend tests use it. */
	public static final String PRICED_KEY = "team-priced-secret-key";

	/** One create a minute; only the OpenAI SDK's rate-limit test uses it. */
	public static final String OPENAI_LIMITED_KEY = "team-openai-limited-secret-key";

	/**
	 * Prompt rules and job deadlines of its own; only PromptRulesAndDeadlinesTest uses
	 * it.
	 */
	public static final String POLICY_KEY = "team-policy-secret-key";

	/** Its upstream key refuses connections, its fallback is the second account's. */
	public static final String FAILOVER_KEY = "team-failover-secret-key";

	/** Its upstream key is the default one, its fallback the second account's. */
	public static final String FAILOVER_429_KEY = "team-failover-429-secret-key";

	/**
	 * The second account's upstream key, at {@link #SECOND_API} on the WireMock upstream.
	 */
	public static final String SECOND_UPSTREAM_KEY = "hk-test-second-account-key-0002";

	/** Where the second account's predictions API is on the WireMock upstream. */
	public static final String SECOND_API = "/second" + UpstreamStub.API;

	/**
	 * A cache of seeded requests for 7 days, shared with {@link #CACHE_FRIEND_KEY}'s
	 * client.
	 */
	public static final String CACHE_KEY = "team-cache-secret-key";

	/** A cache of its own, and team-cache's results. */
	public static final String CACHE_FRIEND_KEY = "team-cache-friend-secret-key";

	/** A cache of its own only. */
	public static final String CACHE_OTHER_KEY = "team-cache-other-secret-key";

	/** No cache of its own; only ResultCacheTest uses it. */
	public static final String NO_CACHE_KEY = "team-no-cache-secret-key";

	/** The operators' key ({@code gateway.admin.key-sha256}). */
	public static final String ADMIN_KEY = "operators-secret-key";

	public static final String UPSTREAM_KEY = "hk-test-upstream-key-0001";

	private static final List<String> SECRETS = List.of(TEAM_A_KEY, TEAM_B_KEY, TEAM_C_KEY, LIMITED_KEY, CAPPED_KEY,
			FLOOD_KEY, SANDBOX_KEY, BUDGET_KEY, PRICED_KEY, OPENAI_LIMITED_KEY, POLICY_KEY, FAILOVER_KEY,
			FAILOVER_429_KEY, ADMIN_KEY, UPSTREAM_KEY, SECOND_UPSTREAM_KEY, "hk-test-unreachable-key-0003");

	@Autowired
	private WebTestClient webTestClient;

	@Autowired
	private UpstreamResilience resilience;

	protected WebTestClient web;

	@DynamicPropertySource
	static void upstream(DynamicPropertyRegistry registry) {
		registry.add("gateway.upstream.base-url", UpstreamStub::baseUrl);
		registry.add("gateway.upstream.keys.second.base-url",
				() -> UpstreamStub.SERVER.baseUrl() + "/second/replicate");
	}

	@BeforeEach
	void resetUpstreamAndWatchResponses() {
		UpstreamStub.SERVER.resetAll();
		this.resilience.circuitBreakers().getAllCircuitBreakers().forEach(CircuitBreaker::reset);
		this.web = this.webTestClient.mutate()
			.filter(noSecretsInResponses())
			.entityExchangeResultConsumer(ContractCheck::verify)
			.build();
	}

	@AfterEach
	void keysNeverLeak(CapturedOutput output) {
		for (LoggedRequest request : UpstreamStub.SERVER.findAll(anyRequestedFor(anyUrl()))) {
			// the upstream key goes to the predictions API alone, never to the host of
			// output files
			if (request.getUrl().startsWith(UpstreamStub.API)) {
				assertThat(request.getHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + UPSTREAM_KEY);
			}
			else if (request.getUrl().startsWith(SECOND_API)) {
				assertThat(request.getHeader(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + SECOND_UPSTREAM_KEY);
			}
			else {
				assertThat(request.containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
			}
			String seen = request.getHeaders().toString() + request.getBodyAsString() + request.getUrl();
			assertThat(seen).doesNotContain(TEAM_A_KEY, TEAM_B_KEY, TEAM_C_KEY, LIMITED_KEY, CAPPED_KEY, FLOOD_KEY,
					SANDBOX_KEY);
		}
		assertThat(output.getAll()).doesNotContain(SECRETS);
	}

	protected WebTestClient.RequestHeadersSpec<?> getWith(String key, String uri, Object... variables) {
		return this.web.get().uri(uri, variables).headers((headers) -> headers.setBearerAuth(key));
	}

	protected WebTestClient.RequestBodySpec postWith(String key, String uri, Object... variables) {
		return this.web.post().uri(uri, variables).headers((headers) -> headers.setBearerAuth(key));
	}

	/** The gateway's Prometheus page. */
	protected String scrape() {
		return this.web.mutate()
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/** One series' value on a scraped page, 0 when it is not there yet. */
	protected static double value(String scrape, String series) {
		Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
	}

	protected WebTestClient.ResponseSpec createWith(String key, String body) {
		return postWith(key, "/images").header(HttpHeaders.CONTENT_TYPE, "application/json").bodyValue(body).exchange();
	}

	private static ExchangeFilterFunction noSecretsInResponses() {
		return ExchangeFilterFunction.ofResponseProcessor((response) -> {
			assertThat(response.headers().asHttpHeaders().toString()).doesNotContain(SECRETS);
			return Mono.just(response.mutate().body((body) -> body.map((buffer) -> {
				assertThat(buffer.toString(StandardCharsets.UTF_8)).doesNotContain(SECRETS);
				return buffer;
			})).build());
		});
	}

}
