package dev.taskmanager.cli;

import java.util.function.Function;
import javax.net.ssl.SSLSocketFactory;

/**
 * Where the server is and how to talk to it, from the options both command lines share:
 * {@code -h/--host}, {@code -p/--port}, {@code --tls}, {@code --cacert} and
 * {@code --token-file} (or {@code TASKMANAGER_TOKEN}). Immutable.
 *
 * @param host  the host as typed (an IPv6 literal without brackets is fine)
 * @param port  1..65535
 * @param tls   the socket factory for HTTPS, or {@code null} for plain HTTP
 * @param token the bearer token to send, or {@code null} for none
 */
record Endpoint(String host, int port, SSLSocketFactory tls, BearerToken token) {

    static final String DEFAULT_HOST = "localhost";
    static final int DEFAULT_PORT = 10000;

    /** Plain HTTP, no token: what a command line without connection options means. */
    static Endpoint plain(String host, int port) {
        return new Endpoint(host, port, null, null);
    }

    /**
     * The endpoint a checked command line asks for. Reads the token file and the CA file, if
     * given, now, so that a problem with them is reported before any request.
     *
     * @throws CliException exit code 2, for an unusable token file, token or CA file
     */
    static Endpoint of(ParsedLine<?> line, Function<String, String> env) {
        BearerToken token = BearerToken.resolve(line.value(Option.TOKEN_FILE), env);
        SSLSocketFactory tls = line.has(Option.CACERT) ? Tls.trusting(line.value(Option.CACERT))
                : line.has(Option.TLS) ? Tls.defaultTrust() : null;
        return new Endpoint(host(line), port(line), tls, token);
    }

    /** {@code -h/--host}, default {@value #DEFAULT_HOST}. */
    static String host(ParsedLine<?> line) {
        return line.has(Option.HOST) ? line.value(Option.HOST) : DEFAULT_HOST;
    }

    /** {@code -p/--port} (already checked), default {@value #DEFAULT_PORT}. */
    static int port(ParsedLine<?> line) {
        return line.has(Option.PORT) ? Integer.parseInt(line.value(Option.PORT)) : DEFAULT_PORT;
    }

    /** {@code host:port} as it goes into a URL, IPv6 literals bracketed. */
    String authority() {
        return RestClient.uriHost(host) + ":" + port;
    }
}
