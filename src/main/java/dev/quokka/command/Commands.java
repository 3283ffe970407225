package dev.quokka.command;

import dev.quokka.command.admin.ClusterCommands;
import dev.quokka.command.admin.DiagnosticCommands;
import dev.quokka.command.admin.ServerCommands;
import dev.quokka.command.connection.ConnectionCommands;
import dev.quokka.command.expire.ExpireCommands;
import dev.quokka.command.hash.HashCommands;
import dev.quokka.command.keys.KeyCommands;
import dev.quokka.command.keys.SortCommand;
import dev.quokka.command.list.ListCommands;
import dev.quokka.command.pubsub.PubSubCommands;
import dev.quokka.command.scripting.ScriptCommands;
import dev.quokka.command.set.SetCommands;
import dev.quokka.command.string.BitCommands;
import dev.quokka.command.string.HllCommands;
import dev.quokka.command.string.StringCommands;
import dev.quokka.command.transaction.TransactionCommands;
import dev.quokka.command.zset.GeoCommands;
import dev.quokka.command.zset.ZSetCommands;

/**
 * Every command Quokka serves (ARCHITECTURE invariant 2): each family declares its own commands
 * beside their bodies ({@code register}); this is the list of families, in COMMAND's order.
 * Registration is explicit: no classpath scanning.
 */
public final class Commands {
    private Commands() {
    }

    public static void registerAll(CommandTable t) {
        StringCommands.register(t);
        BitCommands.register(t);
        HllCommands.register(t);
        KeyCommands.register(t);
        dev.quokka.command.keys.DumpCommands.register(t);
        SortCommand.register(t);
        ExpireCommands.register(t);
        ConnectionCommands.register(t);
        ServerCommands.register(t);
        dev.quokka.command.admin.ReplicationCommands.register(t);
        DiagnosticCommands.register(t);
        ClusterCommands.register(t);
        PubSubCommands.register(t);
        ListCommands.register(t);
        HashCommands.register(t);
        SetCommands.register(t);
        ZSetCommands.register(t);
        GeoCommands.register(t);
        dev.quokka.command.stream.StreamCommands.register(t);
        TransactionCommands.register(t);
        ScriptCommands.register(t);
        dev.quokka.command.acl.AclCommands.register(t);
    }
}
