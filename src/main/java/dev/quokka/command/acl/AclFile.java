package dev.quokka.command.acl;

import dev.quokka.acl.User;
import dev.quokka.acl.Users;
import dev.quokka.command.CommandContext;
import dev.quokka.command.Server;
import dev.quokka.config.Settings;
import dev.quokka.session.Client;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code aclfile}: loaded at start and by ACL LOAD (all or nothing), written by ACL SAVE. */
public final class AclFile {
    private static final Logger LOG = Logger.getLogger(AclFile.class);

    private AclFile() {
    }

    /**
     * At start: the {@code user} lines of the config, or the {@code aclfile}, not both (Redis's
     * ACLLoadUsersAtStartup); an error stops the server.
     */
    public static void startup(Server server, List<String> userLines) {
        String file = server.config().value(Settings.ACLFILE);
        if (!file.isEmpty() && !userLines.isEmpty()) {
            throw new IllegalStateException("Configuring Redis with users defined in redis.conf and at the same setting "
                + "an ACL file path is invalid. This setup is very likely to lead to configuration errors and security "
                + "holes, please define either an ACL file or declare users directly in your redis.conf, but not both.");
        }
        if (!file.isEmpty()) {
            String errors = load(server, file, null);
            if (errors != null) {
                throw new IllegalStateException("Aborting Redis startup because of ACL errors: " + errors);
            }
            return;
        }
        boolean allChannels = server.config().get(Settings.ACL_PUBSUB_DEFAULT).equals("allchannels");
        List<String> seen = new ArrayList<>();
        for (String line : userLines) {
            // Config lines are read as UTF-8 text; ACL rules keep one char per byte (argBytes).
            List<String> words = dev.quokka.config.LaunchArguments.words(
                new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
            if (words.isEmpty()) {
                throw new IllegalStateException("Error in user declaration: user name missing");
            }
            String name = words.get(0);
            if (seen.contains(name)) {
                throw new IllegalStateException("Error in user declaration '" + name + "': Duplicate user found. A user "
                    + "can only be defined once in config files");
            }
            seen.add(name);
            Users users = server.users();
            List<String> rules = new ArrayList<>(words.subList(1, words.size()));
            if (name.equals(Users.DEFAULT)) {
                rules.add(0, "reset"); // the default user is reset, then given the line's rules (ACLLoadConfiguredUsers)
            }
            Object r = server.aclRules().setUser(users, null, name, rules, allChannels);
            if (r instanceof String error) {
                throw new IllegalStateException("Error in user declaration '" + name + "': "
                    + error.substring(error.indexOf(": ") + 2));
            }
            users.replace(((User) r).named(name));
        }
    }

    static void load(CommandContext c) {
        String file = c.server.config().value(Settings.ACLFILE);
        if (file.isEmpty()) {
            notConfigured(c);
            return;
        }
        String errors = load(c.server, file, c.client);
        if (errors != null) {
            c.reply.error("ERR " + errors);
            return;
        }
        c.reply.ok();
    }

    /** Loads the file over the current users; the error text when it does not load, or null. */
    public static String load(Server server, String file, Client caller) {
        String text;
        try {
            text = Files.readString(path(server, file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "Error loading ACLs, opening file '" + file + "': " + reason(e);
        }
        Users users = server.users();
        AclRules rules = server.aclRules();
        boolean allChannels = server.config().get(Settings.ACL_PUBSUB_DEFAULT).equals("allchannels");
        StringBuilder errors = new StringBuilder();
        Map<String, User> loaded = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> argv = new ArrayList<>(List.of(line.split(" ")));
            argv.removeIf(String::isEmpty);
            if (!argv.get(0).equals("user") || argv.size() < 2) {
                errors.append(file).append(':').append(lineNo)
                    .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String name = argv.get(1);
            if (loaded.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNo).append(". ");
                continue;
            }
            Object r = rules.setUser(users, null, name, argv.subList(2, argv.size()), allChannels);
            if (r instanceof String error) {
                errors.append(file).append(':').append(lineNo).append(": ")
                    .append(error.substring(error.indexOf(": ") + 2)).append(". ");
                continue;
            }
            loaded.put(name, (User) r);
        }
        if (errors.length() > 0) {
            return errors + "WARNING: ACL errors detected, no change to the previously active ACL rules was performed";
        }
        User def = loaded.remove(Users.DEFAULT);
        if (def == null) {
            def = new Users(users.commandCount()).defaultUser();
        }
        users.replace(def.named(Users.DEFAULT));
        for (User gone : users.clearExceptDefault()) {
            AclCommands.killClientsOf(server, caller, gone);
        }
        for (Map.Entry<String, User> e : loaded.entrySet()) {
            users.replace(e.getValue().named(e.getKey()));
        }
        return null;
    }

    static void save(CommandContext c) {
        String file = c.server.config().value(Settings.ACLFILE);
        if (file.isEmpty()) {
            notConfigured(c);
            return;
        }
        StringBuilder b = new StringBuilder();
        for (User u : c.server.users().all()) {
            b.append("user ").append(u.name()).append(' ').append(c.server.aclRules().describe(u)).append('\n');
        }
        Path target = path(c.server, file);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
            + System.currentTimeMillis());
        try {
            Files.writeString(tmp, b, StandardCharsets.ISO_8859_1);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("Writing ACL file for ACL SAVE: %s", reason(e));
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to clean
            }
            c.reply.error("ERR There was an error trying to save the ACLs. Please check the server logs for more "
                + "information");
            return;
        }
        c.reply.ok();
    }

    /** The file, a relative name being in {@code dir} (redis-server works from its dir). */
    private static Path path(Server server, String file) {
        return Path.of(server.config().get(Settings.DIR)).resolve(file);
    }

    private static void notConfigured(CommandContext c) {
        c.reply.error("ERR This Redis instance is not configured to use an ACL file. You may want to specify users via "
            + "the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file "
            + "set) in order to store users in the Redis configuration.");
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }
}
