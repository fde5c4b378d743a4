package dev.plaidsync.webhooks.internal;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import dev.plaidsync.common.ProblemResponses;
import dev.plaidsync.common.Problems;

import org.springframework.http.HttpStatus;

/**
 * Keeps slow clients from holding request threads at {@code /webhook/**}. A webhook body
 * is read with servlet non-blocking IO: while its bytes trickle in no thread waits for
 * them, and the request reaches the controller only once the whole body (at most
 * {@code max-body-size} + 1 bytes) is in memory. A body that has not fully arrived
 * {@code body-timeout} after the headers is answered 408 and its connection closed.
 * Requests in flight from one client address are bounded
 * ({@code max-requests-per-address}); beyond that they are answered 429 and closed at
 * once, so a single address cannot hold every connection the server accepts.
 */
class WebhookBodyReader implements Filter {

	static final String BODY = WebhookBodyReader.class.getName() + ".body";

	private final long timeoutMillis;

	private final int maxBodySize;

	private final int maxPerAddress;

	private final ConcurrentMap<String, Integer> inFlight = new ConcurrentHashMap<>();

	private final ProblemResponses problems;

	WebhookBodyReader(Duration timeout, int maxBodySize, int maxPerAddress, ProblemResponses problems) {
		this.problems = problems;
		this.timeoutMillis = timeout.toMillis();
		this.maxBodySize = maxBodySize;
		this.maxPerAddress = maxPerAddress;
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) servletRequest;
		HttpServletResponse response = (HttpServletResponse) servletResponse;
		if (request.getDispatcherType() == DispatcherType.ASYNC) {
			Object body = request.getAttribute(BODY);
			chain.doFilter((body instanceof byte[] bytes) ? new BufferedBody(request, bytes) : request, response);
			return;
		}
		String address = request.getRemoteAddr();
		if (!acquire(address)) {
			answer(request, response, HttpStatus.TOO_MANY_REQUESTS, "too_many_requests", "More than "
					+ this.maxPerAddress + " requests in flight from this address; retry when some have been answered");
			return;
		}
		boolean readsBody = "POST".equals(request.getMethod()) && request.getContentLengthLong() != 0
				&& request.getContentLengthLong() <= this.maxBodySize && request.isAsyncSupported();
		if (!readsBody) {
			try {
				chain.doFilter(request, response);
			}
			finally {
				release(address);
			}
			return;
		}
		AsyncContext async = request.startAsync(request, response);
		async.setTimeout(this.timeoutMillis);
		AtomicBoolean settled = new AtomicBoolean();
		async.addListener(new Deadline(address, settled));
		ServletInputStream in = request.getInputStream();
		in.setReadListener(new Collector(request, in, async, settled));
	}

	private boolean acquire(String address) {
		int count = this.inFlight.merge(address, 1, Integer::sum);
		if (count > this.maxPerAddress) {
			release(address);
			return false;
		}
		return true;
	}

	private void release(String address) {
		this.inFlight.computeIfPresent(address, (key, count) -> (count <= 1) ? null : count - 1);
	}

	private void answer(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String error,
			String message) throws IOException {
		response.setHeader("Connection", "close");
		this.problems.write(request, response, Problems.problem(status, error, message));
		response.flushBuffer();
	}

	/**
	 * Gathers the body as it arrives; at its end, or once it is larger than allowed,
	 * hands it to the controller.
	 */
	private final class Collector implements ReadListener {

		private final HttpServletRequest request;

		private final ServletInputStream in;

		private final AsyncContext async;

		private final AtomicBoolean settled;

		private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);

		private final byte[] buffer = new byte[8192];

		Collector(HttpServletRequest request, ServletInputStream in, AsyncContext async, AtomicBoolean settled) {
			this.request = request;
			this.in = in;
			this.async = async;
			this.settled = settled;
		}

		@Override
		public void onDataAvailable() throws IOException {
			while (this.in.isReady() && !this.in.isFinished()) {
				int read = this.in.read(this.buffer);
				if (read < 0) {
					return;
				}
				this.body.write(this.buffer, 0, read);
				if (this.body.size() > WebhookBodyReader.this.maxBodySize) {
					handOver();
					return;
				}
			}
		}

		@Override
		public void onAllDataRead() {
			handOver();
		}

		@Override
		public void onError(Throwable failure) {
			if (this.settled.compareAndSet(false, true)) {
				this.async.complete();
			}
		}

		private void handOver() {
			if (this.settled.compareAndSet(false, true)) {
				this.request.setAttribute(BODY, this.body.toByteArray());
				this.async.dispatch();
			}
		}

	}

	/**
	 * Answers 408 when the body is late, and frees the address's slot however the request
	 * ends.
	 */
	private final class Deadline implements AsyncListener {

		private final String address;

		private final AtomicBoolean settled;

		private final AtomicBoolean released = new AtomicBoolean();

		Deadline(String address, AtomicBoolean settled) {
			this.address = address;
			this.settled = settled;
		}

		@Override
		public void onTimeout(AsyncEvent event) throws IOException {
			if (this.settled.compareAndSet(false, true)) {
				answer((HttpServletRequest) event.getSuppliedRequest(),
						(HttpServletResponse) event.getSuppliedResponse(), HttpStatus.REQUEST_TIMEOUT, "body_timeout",
						"The body did not arrive within " + WebhookBodyReader.this.timeoutMillis + " ms");
				event.getAsyncContext().complete();
			}
		}

		@Override
		public void onComplete(AsyncEvent event) {
			if (this.released.compareAndSet(false, true)) {
				release(this.address);
			}
		}

		@Override
		public void onError(AsyncEvent event) {
			onComplete(event);
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

	/** The request as the controller sees it: its body, already read. */
	private static final class BufferedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream bytes = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return bytes.read();
				}

				@Override
				public int read(byte[] target, int offset, int length) {
					return bytes.read(target, offset, length);
				}

				@Override
				public boolean isFinished() {
					return bytes.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new IllegalStateException("The body has already been read");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(
					new InputStreamReader(new ByteArrayInputStream(this.body), StandardCharsets.UTF_8));
		}

	}

}
