package dev.quokka.command;

import dev.quokka.server.Client;

/** The body of one command: reads {@link Client#argv}, acts on the keyspace, writes a reply. */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client c);
}
