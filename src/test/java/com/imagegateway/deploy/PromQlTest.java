package com.imagegateway.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlTest {

	@Test
	void theMetricNamesOfAnExpressionAreFoundAndNothingElse() {
		assertThat(PromQl.metricNames("""
				histogram_quantile(0.99, sum by (operation, le) (rate(http_server_requests_seconds_bucket{job="x", \
				code=~"rate_limited|store_unavailable"}[5m]))) > 1.5"""))
			.containsExactly("http_server_requests_seconds_bucket");
		assertThat(PromQl.metricNames(
				"""
						sum by (client) (increase(gateway_jobs_unrecorded_total{job="x"}[15m])) > 0
						or sum by (client) (gateway_jobs_unrecorded_total unless gateway_jobs_unrecorded_total offset 15m) > 0"""))
			.containsExactly("gateway_jobs_unrecorded_total");
		assertThat(PromQl.metricNames("""
				max by (namespace, client) (gateway_budget_spent_ratio)
				  >= on (namespace, client) max by (namespace, client) (gateway_budget_alert_ratio)"""))
			.containsExactly("gateway_budget_alert_ratio", "gateway_budget_spent_ratio");
	}

	@Test
	void aMisspelledMetricIsNamedAsWritten() {
		// what DashboardQueriesTest then finds missing from the gateway's page
		assertThat(PromQl.metricNames("sum(rate(gateway_job_finished_total[1m]))"))
			.containsExactly("gateway_job_finished_total");
	}

}
