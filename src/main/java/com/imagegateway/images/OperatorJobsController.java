package com.imagegateway.images;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import com.imagegateway.clients.AdminKey;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code GET /admin/images/{id}}: any client's job, with what only operators see (the
 * upstream key it runs on), for the operators' key.
 */
@RestController
@Tag(name = "operators", description = "For the platform team, with the operators' key.")
@SecurityRequirement(name = "bearer")
class OperatorJobsController {

	private final ImageJobs jobs;

	private final SignedOutputLinks links;

	private final AdminKey adminKey;

	OperatorJobsController(ImageJobs jobs, SignedOutputLinks links, AdminKey adminKey) {
		this.jobs = jobs;
		this.links = links;
		this.adminKey = adminKey;
	}

	@GetMapping(path = "/admin/images/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(operationId = "getAnyImage", summary = "Read any client's job (operators)",
			description = "The job as its client reads it, with the client and the upstream key it was created "
					+ "with (the client's fallback after a failover), for the operators' key "
					+ "(`gateway.admin.key-sha256`).")
	@ApiResponse(responseCode = "200", description = "The job.")
	@ApiResponse(responseCode = "401", description = "Missing or unknown key (`unauthorized`).")
	@ApiResponse(responseCode = "403", description = "A client's key, not the operators' (`forbidden`).")
	@ApiResponse(responseCode = "404",
			description = "No job has this id, or no operators' key is configured (`not_found`).")
	@ApiResponse(responseCode = "503", description = "The gateway's store cannot be reached (`store_unavailable`).")
	Mono<OperatorJob> getAnyImage(@PathVariable String id, ServerWebExchange exchange) {
		this.adminKey.check(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
		return this.jobs.storedForOperators(id)
			.map((job) -> new OperatorJob(job.client(), job.upstream(),
					ImageJob.of(job, ImageRequests.gateway(exchange.getRequest()), this.links)));
	}

}
