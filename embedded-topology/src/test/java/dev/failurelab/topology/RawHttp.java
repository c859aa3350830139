package dev.failurelab.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One raw HTTP/1.1 exchange, for tests that forge what the JDK client will not send (Host, bad bodies). */
final class RawHttp {

    private RawHttp() {
    }

    /** The whole answer (status line, headers, body) to {@code method target} with these headers and body. */
    static String exchange(URI base, String method, String target, String host, List<String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(15_000);
            StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n");
            headers.forEach(h -> request.append(h).append("\r\n"));
            request.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static String exchange(URI base, String method, String target, String host, List<String> headers, String body)
            throws IOException {
        return exchange(base, method, target, host, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The status code of an answer, or 0 if there was none (the connection was closed first). */
    static int status(String answer) {
        if (!answer.startsWith("HTTP/1.1 ") || answer.length() < 12) {
            return 0;
        }
        return Integer.parseInt(answer.substring(9, 12));
    }
}
