package dev.quokka.config;

/** {@code appendfsync}: when the append-only file is fsynced (in Redis's order of its choices). */
public enum AppendFsync {
    EVERYSEC, ALWAYS, NO
}
