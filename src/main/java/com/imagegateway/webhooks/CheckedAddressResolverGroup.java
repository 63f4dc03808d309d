package com.imagegateway.webhooks;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Function;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import reactor.core.scheduler.Scheduler;

/**
 * Resolves a delivery's host for Reactor Netty through {@link WebhookAddresses}, off the
 * event loop, so that the connection goes to exactly the address that was checked: a name
 * that resolved to a public address when the job was created and to an internal one now
 * (DNS rebinding) is refused here. Addresses Reactor Netty already holds resolved (IP
 * literals) are checked too.
 */
final class CheckedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final WebhookAddresses addresses;

	private final Scheduler blocking;

	CheckedAddressResolverGroup(WebhookAddresses addresses, Scheduler blocking) {
		this.addresses = addresses;
		this.blocking = blocking;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new AbstractAddressResolver<>(executor, InetSocketAddress.class) {

			@Override
			protected boolean doIsResolved(InetSocketAddress address) {
				// never: a resolved address is an IP literal, which has its check to pass
				// too
				return false;
			}

			@Override
			protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
				checked(unresolved, promise, (address) -> address);
			}

			@Override
			protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
				checked(unresolved, promise, List::of);
			}

		};
	}

	/**
	 * Resolves and checks the host off the event loop, then completes the promise with
	 * the address checked.
	 */
	private <T> void checked(InetSocketAddress unresolved, Promise<T> promise, Function<InetSocketAddress, T> result) {
		this.blocking.schedule(() -> {
			try {
				InetSocketAddress address = new InetSocketAddress(this.addresses.resolve(unresolved.getHostString()),
						unresolved.getPort());
				promise.trySuccess(result.apply(address));
			}
			catch (Exception failure) {
				promise.tryFailure(failure);
			}
		});
	}

}
