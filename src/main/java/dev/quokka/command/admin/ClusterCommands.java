package dev.quokka.command.admin;

import dev.quokka.command.Acl;
import dev.quokka.command.CommandContext;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Flag;

import static dev.quokka.command.ArgumentDoc.arg;

/**
 * CLUSTER and the cluster connection commands (READONLY, READWRITE, ASKING), answered as
 * redis-server answers them with {@code cluster-enabled no}: Quokka is a standalone server (one
 * node owns every slot), so each refuses with "This instance has cluster support disabled".
 */
public final class ClusterCommands {
    private ClusterCommands() {
    }

    /** Declares the cluster commands: Redis 7.0's arity, flags, key positions, ACL categories and docs. */
    public static void register(CommandTable t) {
        CommandSpec cluster = t.add("cluster", -2, null)
            .doc("cluster", "3.0.0", "A container for cluster commands")
            .complexity("Depends on subcommand.");
        cluster.sub("addslots", -3, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Assign new hash slots to receiving node")
            .complexity("O(N) where N is the total number of hash slot arguments")
            .args(arg("slot", "integer").multiple());
        cluster.sub("addslotsrange", -4, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "7.0.0", "Assign new hash slots to receiving node")
            .complexity("O(N) where N is the total number of the slots between the start slot and end slot arguments.")
            .args(arg("start-slot_end-slot", "block").multiple().of(
                    arg("start-slot", "integer"),
                    arg("end-slot", "integer")));
        cluster.sub("bumpepoch", 2, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Advance the cluster config epoch")
            .complexity("O(1)")
            .tips("nondeterministic_output");
        cluster.sub("count-failure-reports", 3, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE)
            .doc("cluster", "3.0.0", "Return the number of failure reports active for a given node")
            .complexity("O(N) where N is the number of failure reports")
            .tips("nondeterministic_output")
            .args(arg("node-id", "string"));
        cluster.sub("countkeysinslot", 3, ClusterCommands::disabled).flags(Flag.STALE)
            .doc("cluster", "3.0.0", "Return the number of local keys in the specified hash slot")
            .complexity("O(1)")
            .args(arg("slot", "integer"));
        cluster.sub("delslots", -3, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Set hash slots as unbound in receiving node")
            .complexity("O(N) where N is the total number of hash slot arguments")
            .args(arg("slot", "integer").multiple());
        cluster.sub("delslotsrange", -4, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "7.0.0", "Set hash slots as unbound in receiving node")
            .complexity("O(N) where N is the total number of the slots between the start slot and end slot arguments.")
            .args(arg("start-slot_end-slot", "block").multiple().of(
                    arg("start-slot", "integer"),
                    arg("end-slot", "integer")));
        cluster.sub("failover", -2, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Forces a replica to perform a manual failover of its master.")
            .complexity("O(1)")
            .args(arg("options", "oneof").optional().of(
                    arg("force", "pure-token").token("FORCE"),
                    arg("takeover", "pure-token").token("TAKEOVER")));
        cluster.sub("flushslots", 2, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Delete a node's own slots information")
            .complexity("O(1)");
        cluster.sub("forget", 3, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Remove a node from the nodes table")
            .complexity("O(1)")
            .args(arg("node-id", "string"));
        cluster.sub("getkeysinslot", 4, ClusterCommands::disabled).flags(Flag.STALE)
            .doc("cluster", "3.0.0", "Return local key names in the specified hash slot")
            .complexity("O(log(N)) where N is the number of requested keys")
            .tips("nondeterministic_output")
            .args(arg("slot", "integer"),
                arg("count", "integer"));
        cluster.sub("help", 2, ClusterCommands::disabled).flags(Flag.LOADING, Flag.STALE)
            .doc("cluster", "5.0.0", "Show helpful text about the different subcommands")
            .complexity("O(1)");
        cluster.sub("info", 2, ClusterCommands::disabled).flags(Flag.STALE)
            .doc("cluster", "3.0.0", "Provides info about Redis Cluster node state")
            .complexity("O(1)")
            .tips("nondeterministic_output");
        cluster.sub("keyslot", 3, ClusterCommands::disabled).flags(Flag.STALE)
            .doc("cluster", "3.0.0", "Returns the hash slot of the specified key")
            .complexity("O(N) where N is the number of bytes in the key")
            .args(arg("key", "string"));
        cluster.sub("links", 2, ClusterCommands::disabled).flags(Flag.STALE)
            .doc("cluster", "7.0.0", "Returns a list of all TCP links to and from peer nodes in cluster")
            .complexity("O(N) where N is the total number of Cluster nodes")
            .tips("nondeterministic_output");
        cluster.sub("meet", -4, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Force a node cluster to handshake with another node")
            .complexity("O(1)")
            .args(arg("ip", "string"),
                arg("port", "integer"),
                arg("cluster_bus_port", "integer").since("4.0.0").optional())
            .history("4.0.0", "Added the optional `cluster_bus_port` argument.");
        cluster.sub("myid", 2, ClusterCommands::disabled).flags(Flag.STALE)
            .doc("cluster", "3.0.0", "Return the node id")
            .complexity("O(1)");
        cluster.sub("nodes", 2, ClusterCommands::disabled).flags(Flag.STALE)
            .doc("cluster", "3.0.0", "Get Cluster config for the node")
            .complexity("O(N) where N is the total number of Cluster nodes")
            .tips("nondeterministic_output");
        cluster.sub("replicas", 3, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE)
            .doc("cluster", "5.0.0", "List replica nodes of the specified master node")
            .complexity("O(1)")
            .tips("nondeterministic_output")
            .args(arg("node-id", "string"));
        cluster.sub("replicate", 3, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Reconfigure a node as a replica of the specified master node")
            .complexity("O(1)")
            .args(arg("node-id", "string"));
        cluster.sub("reset", -2, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.STALE)
            .doc("cluster", "3.0.0", "Reset a Redis Cluster node")
            .complexity("O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.")
            .args(arg("hard_soft", "oneof").optional().of(
                    arg("hard", "pure-token").token("HARD"),
                    arg("soft", "pure-token").token("SOFT")));
        cluster.sub("saveconfig", 2, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Forces the node to save cluster state on disk")
            .complexity("O(1)");
        cluster.sub("set-config-epoch", 3, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Set the configuration epoch in a new node")
            .complexity("O(1)")
            .args(arg("config-epoch", "integer"));
        cluster.sub("setslot", -4, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE, Flag.NO_ASYNC_LOADING)
            .doc("cluster", "3.0.0", "Bind a hash slot to a specific node")
            .complexity("O(1)")
            .args(arg("slot", "integer"),
                arg("subcommand", "oneof").of(
                    arg("node-id", "string").token("IMPORTING"),
                    arg("node-id", "string").token("MIGRATING"),
                    arg("node-id", "string").token("NODE"),
                    arg("stable", "pure-token").token("STABLE")));
        cluster.sub("shards", 2, ClusterCommands::disabled).flags(Flag.STALE)
            .doc("cluster", "7.0.0", "Get array of cluster slots to node mappings")
            .complexity("O(N) where N is the total number of cluster nodes")
            .tips("nondeterministic_output");
        cluster.sub("slaves", 3, ClusterCommands::disabled).flags(Flag.ADMIN, Flag.STALE)
            .doc("cluster", "3.0.0", "List replica nodes of the specified master node")
            .complexity("O(1)")
            .deprecated("5.0.0", "`CLUSTER REPLICAS`")
            .tips("nondeterministic_output")
            .args(arg("node-id", "string"));
        cluster.sub("slots", 2, ClusterCommands::disabled).flags(Flag.STALE)
            .doc("cluster", "3.0.0", "Get array of Cluster slot to node mappings")
            .complexity("O(N) where N is the total number of Cluster nodes")
            .deprecated("7.0.0", "`CLUSTER SHARDS`")
            .tips("nondeterministic_output")
            .history("4.0.0", "Added node IDs.")
            .history("7.0.0", "Added additional networking metadata field.");
        t.add("readonly", 1, ClusterCommands::disabled).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl(Acl.CONNECTION)
            .doc("cluster", "3.0.0", "Enables read queries for a connection to a cluster replica node")
            .complexity("O(1)");
        t.add("readwrite", 1, ClusterCommands::disabled).flags(Flag.LOADING, Flag.STALE, Flag.FAST).acl(Acl.CONNECTION)
            .doc("cluster", "3.0.0", "Disables read queries for a connection to a cluster replica node")
            .complexity("O(1)");
        t.add("asking", 1, ClusterCommands::disabled).flags(Flag.FAST).acl(Acl.CONNECTION)
            .doc("cluster", "3.0.0", "Sent by cluster clients after an -ASK redirect")
            .complexity("O(1)");
    }

    /** Redis's reply to every cluster command when cluster mode is off. */
    public static void disabled(CommandContext c) {
        c.reply.error("ERR This instance has cluster support disabled");
    }
}
