package dev.quokka.protocol;

/**
 * A request that cannot be parsed. The message is Redis's text after {@code ERR }, e.g.
 * {@code Protocol error: invalid bulk length}; the connection answers it and is closed,
 * as redis-server does ({@code CLIENT_CLOSE_AFTER_REPLY}).
 */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
