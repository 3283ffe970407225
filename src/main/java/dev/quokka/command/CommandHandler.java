package dev.quokka.command;

/** The body of one command: reads {@link CommandContext#argv}, acts on the keyspace, writes a reply. */
@FunctionalInterface
public interface CommandHandler {
    void execute(CommandContext c);
}
