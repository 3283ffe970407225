package dev.quokka.command;

/**
 * An error reply raised by a command body or an argument parser: the dispatcher catches it and
 * replies its text. A command that throws it must not have written any reply or changed the
 * dataset yet (parsing comes first, as in Redis). No stack trace is taken: it is a reply, not a
 * fault, and costs no more than a return.
 */
public final class CommandError extends RuntimeException {
    public CommandError(String reply) {
        super(reply, null, false, false);
    }

    /** The error reply, e.g. {@code ERR value is not an integer or out of range}. */
    public String reply() {
        return getMessage();
    }
}
