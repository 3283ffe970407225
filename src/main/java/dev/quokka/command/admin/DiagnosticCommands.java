package dev.quokka.command.admin;

import dev.quokka.command.Args;
import dev.quokka.command.CommandContext;
import dev.quokka.command.Errors;
import dev.quokka.command.CommandError;
import dev.quokka.command.CommandSpec;
import dev.quokka.command.CommandTable;
import dev.quokka.command.Flag;
import dev.quokka.command.keys.ObjectCommands;
import dev.quokka.config.BuildInfo;
import dev.quokka.session.LatencyMonitor;
import dev.quokka.session.SlowLog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.quokka.command.ArgumentDoc.arg;

/** What operators look at while the server runs: SLOWLOG, LATENCY, MONITOR and LOLWUT. */
public final class DiagnosticCommands {
    private DiagnosticCommands() {
    }

    /** Declares this family's commands: Redis 7.0's arity, flags, ACL categories and docs. */
    public static void register(CommandTable t) {
        CommandSpec slowlog = t.add("slowlog", -2, null)
            .doc("server", "2.2.12", "A container for slow log commands")
            .complexity("Depends on subcommand.");
        slowlog.sub("get", -2, DiagnosticCommands::slowlogGet).flags(Flag.ADMIN, Flag.LOADING, Flag.STALE)
            .doc("server", "2.2.12", "Get the slow log's entries")
            .complexity("O(N) where N is the number of entries returned")
            .tips("request_policy:all_nodes", "nondeterministic_output")
            .args(arg("count", "integer").optional())
            .history("4.0.0", "Added client IP address, port and name to the reply.");
        slowlog.sub("help", 2, DiagnosticCommands::slowlogHelp).flags(Flag.LOADING, Flag.STALE)
            .doc("server", "6.2.0", "Show helpful text about the different subcommands")
            .complexity("O(1)");
        slowlog.sub("len", 2, c -> c.reply.integer(c.server.slowLog().size())).flags(Flag.ADMIN, Flag.LOADING, Flag.STALE)
            .doc("server", "2.2.12", "Get the slow log's length")
            .complexity("O(1)")
            .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output");
        slowlog.sub("reset", 2, DiagnosticCommands::slowlogReset).flags(Flag.ADMIN, Flag.LOADING, Flag.STALE)
            .doc("server", "2.2.12", "Clear all entries from the slow log")
            .complexity("O(N) where N is the number of entries in the slowlog")
            .tips("request_policy:all_nodes", "response_policy:all_succeeded");
        CommandSpec latency = t.add("latency", -2, null)
            .doc("server", "2.8.13", "A container for latency diagnostics commands")
            .complexity("Depends on subcommand.");
        latency.sub("graph", 3, DiagnosticCommands::latencyGraph).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "2.8.13", "Return a latency graph for the event.")
            .complexity("O(1)")
            .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
            .args(arg("event", "string"));
        latency.sub("help", 2, DiagnosticCommands::latencyHelp).flags(Flag.LOADING, Flag.STALE)
            .doc("server", "2.8.13", "Show helpful text about the different subcommands.")
            .complexity("O(1)");
        latency.sub("histogram", -2, DiagnosticCommands::latencyHistogram)
            .flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "7.0.0", "Return the cumulative distribution of latencies of a subset of commands or all.")
            .complexity("O(N) where N is the number of commands with latency information being retrieved.")
            .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
            .args(arg("command", "string").optional().multiple());
        latency.sub("history", 3, DiagnosticCommands::latencyHistory).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "2.8.13", "Return timestamp-latency samples for the event.")
            .complexity("O(1)")
            .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special")
            .args(arg("event", "string"));
        latency.sub("latest", 2, DiagnosticCommands::latencyLatest).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "2.8.13", "Return the latest latency samples for all events.")
            .complexity("O(1)")
            .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special");
        latency.sub("reset", -2, DiagnosticCommands::latencyReset).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "2.8.13", "Reset latency data for one or more events.")
            .complexity("O(1)")
            .tips("request_policy:all_nodes", "response_policy:all_succeeded")
            .args(arg("event", "string").optional().multiple());
        t.add("monitor", 1, DiagnosticCommands::monitor).flags(Flag.ADMIN, Flag.NOSCRIPT, Flag.LOADING, Flag.STALE)
            .doc("server", "1.0.0", "Listen for all requests received by the server in real time");
        t.add("lolwut", -1, DiagnosticCommands::lolwut).flags(Flag.READONLY, Flag.FAST)
            .doc("server", "5.0.0", "Display some computer art and the Redis version")
            .args(arg("version", "integer").token("VERSION").optional());
    }

    /** SLOWLOG GET [count]: the newest entries (10 by default, -1 for all). */
    public static void slowlogGet(CommandContext c) {
        long count = 10;
        if (c.argc == 3) {
            count = Args.longArg(c, 2, "ERR count should be greater than or equal to -1");
            if (count < -1) {
                throw new CommandError("ERR count should be greater than or equal to -1");
            }
            if (count == -1) {
                count = c.server.slowLog().size();
            }
        } else if (c.argc > 3) {
            throw new CommandError(Errors.subcommandSyntax(c));
        }
        List<SlowLog.Entry> entries = c.server.slowLog().newest(count);
        c.reply.array(entries.size());
        for (SlowLog.Entry e : entries) {
            c.reply.array(6);
            c.reply.integer(e.id());
            c.reply.integer(e.time());
            c.reply.integer(e.micros());
            c.reply.array(e.args().length);
            for (byte[] a : e.args()) {
                c.reply.bulk(a);
            }
            c.reply.bulk(e.peer());
            c.reply.bulk(e.name());
        }
    }

    public static void slowlogReset(CommandContext c) {
        c.server.slowLog().reset();
        c.reply.ok();
    }

    public static void slowlogHelp(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        });
    }

    /** LATENCY LATEST: per event, the time and latency of its last sample and its maximum. */
    public static void latencyLatest(CommandContext c) {
        Map<String, LatencyMonitor.Series> events = c.server.latency().events();
        c.reply.array(events.size());
        for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
            c.reply.array(4);
            c.reply.bulk(e.getKey());
            c.reply.integer(e.getValue().lastTime());
            c.reply.integer(e.getValue().lastLatency());
            c.reply.integer(e.getValue().max());
        }
    }

    /** LATENCY HISTORY event: its samples, oldest first, as [unix time, milliseconds]. */
    public static void latencyHistory(CommandContext c) {
        LatencyMonitor.Series ts = c.server.latency().events().get(new String(c.argv[2], StandardCharsets.ISO_8859_1));
        List<long[]> samples = ts == null ? List.of() : ts.samples();
        c.reply.array(samples.size());
        for (long[] s : samples) {
            c.reply.array(2);
            c.reply.integer(s[0]);
            c.reply.integer(s[1]);
        }
    }

    /**
     * LATENCY GRAPH event: Redis's ASCII sparkline of the event's samples (80 columns, 4 rows,
     * filled), each labelled with how long ago it was, under a line with the high, low and
     * all-time high.
     */
    public static void latencyGraph(CommandContext c) {
        String event = new String(c.argv[2], StandardCharsets.ISO_8859_1);
        LatencyMonitor.Series ts = c.server.latency().events().get(event);
        if (ts == null) {
            throw new CommandError("ERR No samples available for event '" + c.quoted(2) + "'");
        }
        List<long[]> samples = ts.samples();
        long now = System.currentTimeMillis() / 1000;
        long min = 0;
        long max = 0;
        String[] labels = new String[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            long latency = samples.get(i)[1];
            if (i == 0) {
                min = latency;
                max = latency;
            } else {
                max = Math.max(max, latency);
                min = Math.min(min, latency);
            }
            long elapsed = now - samples.get(i)[0];
            labels[i] = elapsed < 60 ? elapsed + "s" : elapsed < 3600 ? elapsed / 60 + "m"
                : elapsed < 3600 * 24 ? elapsed / 3600 + "h" : elapsed / (3600 * 24) + "d";
        }
        StringBuilder graph = new StringBuilder();
        graph.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
            .append(" ms (all time high ").append(ts.max()).append(" ms)\n");
        graph.append("-".repeat(80)).append('\n');
        for (int j = 0; j < samples.size(); j += 80) {
            if (j != 0) {
                graph.append('\n');
            }
            sparkline(graph, samples, labels, j, Math.min(80, samples.size() - j), min, max);
        }
        c.reply.verbatim(graph.toString());
    }

    /** Redis's sparklineRenderRange with 4 rows and the fill charset, labels printed downwards under the graph. */
    private static void sparkline(StringBuilder out, List<long[]> samples, String[] labels, int offset, int len,
                                  long min, long max) {
        final String charset = "_o#";
        final int rows = 4;
        int steps = charset.length() * rows;
        double relmax = max - min;
        if (relmax == 0) {
            relmax = 1;
        }
        char[] chars = new char[len];
        int row = 0;
        boolean loop = true;
        while (loop) {
            loop = false;
            java.util.Arrays.fill(chars, ' ');
            for (int j = 0; j < len; j++) {
                double relval = samples.get(j + offset)[1] - min;
                int step = (int) ((int) (relval * steps) / relmax);
                step = Math.max(0, Math.min(steps - 1, step));
                if (row < rows) {
                    int charidx = step - ((rows - row - 1) * charset.length());
                    loop = true;
                    if (charidx >= 0 && charidx < charset.length()) {
                        chars[j] = charset.charAt(charidx);
                    } else if (charidx >= charset.length()) {
                        chars[j] = '|';
                    }
                } else {
                    if (row - rows < 1) {
                        loop = true;
                        break;
                    }
                    String label = labels[j + offset];
                    int labelChar = row - rows - 1;
                    if (label.length() > labelChar) {
                        loop = true;
                        chars[j] = label.charAt(labelChar);
                    }
                }
            }
            if (loop) {
                row++;
                out.append(chars).append('\n');
            }
        }
    }

    /** LATENCY RESET [event ...]: the number of events whose history was dropped. */
    public static void latencyReset(CommandContext c) {
        if (c.argc == 2) {
            c.reply.integer(c.server.latency().reset(null));
            return;
        }
        int n = 0;
        for (int j = 2; j < c.argc; j++) {
            n += c.server.latency().reset(new String(c.argv[j], StandardCharsets.ISO_8859_1));
        }
        c.reply.integer(n);
    }

    /**
     * LATENCY HISTOGRAM [command ...]: per command with latency samples, their count and their
     * cumulative distribution over power-of-two microsecond buckets. As in Redis, the count is the
     * histogram's, not INFO's calls: a blocked command is sampled when it is answered, not when it
     * blocks, and one that timed out is not sampled.
     */
    public static void latencyHistogram(CommandContext c) {
        List<CommandSpec> specs = new ArrayList<>();
        if (c.argc == 2) {
            for (CommandSpec s : c.server.commands().all()) {
                withData(s, specs, true);
            }
        } else {
            for (int j = 2; j < c.argc; j++) {
                CommandSpec s = c.server.commands().lookupFullName(new String(c.argv[j], StandardCharsets.ISO_8859_1));
                if (s != null) {
                    withData(s, specs, true);
                }
            }
        }
        c.reply.map(specs.size());
        for (CommandSpec s : specs) {
            c.reply.bulk(s.fullName());
            c.reply.map(2);
            long[] buckets = s.latencyBuckets();
            c.reply.bulk("calls");
            c.reply.integer(Arrays.stream(buckets).sum());
            c.reply.bulk("histogram_usec");
            int entries = 0;
            for (long b : buckets) {
                entries += b > 0 ? 1 : 0;
            }
            c.reply.map(entries);
            long cumulative = 0;
            for (int i = 0; i < buckets.length; i++) {
                if (buckets[i] == 0) {
                    continue;
                }
                cumulative += buckets[i];
                c.reply.integer(1L << i);
                c.reply.integer(cumulative);
            }
        }
    }

    /** Adds {@code s} if it has latency samples, and (for a container) its subcommands that have. */
    private static void withData(CommandSpec s, List<CommandSpec> out, boolean subcommands) {
        if (Arrays.stream(s.latencyBuckets()).sum() > 0) {
            out.add(s);
        }
        if (subcommands && s.isContainer()) {
            for (CommandSpec sub : s.subcommands().all()) {
                withData(sub, out, false);
            }
        }
    }

    public static void latencyHelp(CommandContext c) {
        ObjectCommands.helpReply(c, new String[] {
            "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
        });
    }

    /** MONITOR: this connection receives every command the server runs from now on. */
    public static void monitor(CommandContext c) {
        if (c.client.denyBlocking()) {
            throw new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");
        }
        if (c.client.monitor()) {
            return;
        }
        c.client.monitor(true);
        c.server.monitors().add(c.client);
        c.reply.ok();
    }

    /** LOLWUT [VERSION v]: the version line (the art of versions 5 and 6 is not drawn). */
    public static void lolwut(CommandContext c) {
        int first = 1;
        long version = 7;
        if (c.argc >= 3 && c.argIs(1, "version")) {
            version = Args.longArg(c, 2) & 0xffffffffL; // Redis prints it as an unsigned int
            first = 3;
        }
        // Versions 5 and 6 read their numeric arguments (columns, rows ...) as Redis's do; Quokka
        // does not draw their art and answers every version with the version line.
        int numeric = version == 5 ? 3 : version == 6 ? 2 : 0;
        for (int j = first; j < c.argc && j < first + numeric; j++) {
            Args.longArg(c, j);
        }
        c.reply.verbatim("Redis ver. " + BuildInfo.REDIS_VERSION + "\n");
    }
}
