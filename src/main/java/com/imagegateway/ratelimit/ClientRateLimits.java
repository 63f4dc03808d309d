package com.imagegateway.ratelimit;

import java.time.Duration;

import reactor.core.publisher.Mono;

import com.imagegateway.clients.ClientLimits;
import com.imagegateway.clients.GatewayClient;
import com.imagegateway.system.StoreUnavailableException;

import org.springframework.stereotype.Component;

/**
 * Each client's create and read limits, one budget for all replicas when the windows are
 * shared. If the shared windows cannot be reached, a create is refused ({@code 503
 * store_unavailable}, before anything goes upstream) while reads fall back to this pod's
 * own windows, so that finished jobs stay readable.
 */
@Component
class ClientRateLimits {

	enum Kind {

		CREATES, READS

	}

	private final RateWindows windows;

	private final LocalRateWindows local;

	ClientRateLimits(RateWindows windows, LocalRateWindows local) {
		this.windows = windows;
		this.local = local;
	}

	/** Takes a permit if there is one; either way, says where the client stands. */
	Mono<Decision> acquire(GatewayClient client, Kind kind) {
		ClientLimits.Rate rate = (kind == Kind.CREATES) ? client.limits().creates() : client.limits().reads();
		if (rate == null) {
			return Mono.just(Decision.UNLIMITED);
		}
		String key = client.name() + ((kind == Kind.CREATES) ? ":creates" : ":reads");
		Mono<RateWindows.WindowUse> use;
		if (kind == Kind.CREATES) {
			// asked of the store every time: this is also what refuses a create the store
			// could
			// not record before it reaches the upstream
			use = this.windows.takeFromStore(key, rate);
		}
		else {
			use = this.windows.take(key, rate);
			if (this.windows != this.local) {
				use = use.onErrorResume(StoreUnavailableException.class, (unreachable) -> this.local.take(key, rate));
			}
		}
		return use
			.map((window) -> new Decision(window.permitted(), rate.permits(), window.remaining(), window.resetIn()));
	}

	/**
	 * @param permitted whether the call may go ahead
	 * @param limit permits per period
	 * @param remaining permits left in this period
	 * @param reset time until the permits refill
	 */
	record Decision(boolean permitted, int limit, int remaining, Duration reset) {

		static final Decision UNLIMITED = new Decision(true, 0, 0, Duration.ZERO);

		boolean limited() {
			return this.limit > 0;
		}

		long resetSeconds() {
			return Math.max(1, (this.reset.toMillis() + 999) / 1000);
		}

	}

}
