package dev.plaidsync.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, sending the request target byte for byte as given: no
 * client in between normalizes, re-encodes or rejects a spelling, so the test sees what
 * the engine does with exactly what an attacker sends.
 */
public final class RawHttp {

	private RawHttp() {
	}

	public static Response send(int port, String method, String target, Map<String, String> headers, String body) {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(20_000);
			StringBuilder request = new StringBuilder(method).append(' ')
				.append(target)
				.append(" HTTP/1.1\r\n")
				.append("Host: localhost:")
				.append(port)
				.append("\r\n")
				.append("Connection: close\r\n");
			headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
			byte[] content = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
			if (body != null) {
				request.append("Content-Type: application/json\r\n")
					.append("Content-Length: ")
					.append(content.length)
					.append("\r\n");
			}
			request.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.write(content);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			in.transferTo(received);
			String text = received.toString(StandardCharsets.UTF_8);
			int status = Integer.parseInt(text.substring(9, 12));
			int split = text.indexOf("\r\n\r\n");
			return new Response(status, (split < 0) ? "" : text.substring(split + 4),
					(split < 0) ? text : text.substring(0, split));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public record Response(int status, String body, String head) {
	}

}
