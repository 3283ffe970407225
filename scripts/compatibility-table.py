#!/usr/bin/env python3
"""Print the command table of docs/compatibility.md.

Asks a running redis-server (the reference, Debian's 7.0.15) for every command and its group with
COMMAND DOCS, and a running Quokka for the commands it serves with COMMAND LIST. Statuses other
than "supported" / "not yet" come from NOTES below (partial support, with what is missing).

usage: scripts/compatibility-table.py REDIS_PORT QUOKKA_PORT > table.md
"""
import subprocess
import sys

NOTES = {
    "client|list": "partial: qbuf, omem and tot-mem are measured; qbuf-free, argv-mem, multi-mem, rbs, rbp, obl, oll are 0",
    "client|info": "partial: as CLIENT LIST",
    "psync": "supported; a full resync's RDB is written to a file first (repl-diskless-sync is not applied): see replication.md",
    "sync": "supported, as PSYNC's full resync",
    "replconf": "partial: rdb-filter-only is refused",
    "replicaof": "supported; the full resync's RDB is loaded on the event loop, through a file: see replication.md",
    "slaveof": "supported, as REPLICAOF",
    "failover": "supported; a handover whose link to the target fails is aborted (Redis retries): see replication.md",
    "client|setinfo": "Redis 7.2's command, served for clients that send it on connect",
    "dump": "supported; strings over 20 bytes LZF-compressed by Quokka's own compressor (not byte for byte redis-server's)",
    "migrate": "supported; holds the server while it waits for the target, as in Redis",
    "bgsave": "supported, from a copy of the keyspace taken on the event loop (no fork): see \"RDB files\"",
    "xinfo|stream": "partial: radix-tree-nodes is an estimate (Quokka keeps a stream's nodes in an array, not a radix tree)",
    "info": "partial: memory fields from Quokka's accounting of the JVM layout; copy-on-write fields 0",
    "memory|malloc-stats": "answers as a Redis built without jemalloc",
    "memory|purge": "nothing to do: the garbage collector returns memory",
    "memory|usage": "Quokka's accounting of the JVM layout, not Redis's allocator sizes",
    "config|rewrite": "partial: answers that there is no config file",
    "config|set": "partial: port, bind, dir and databases are immutable at run time",
    "debug": "partial: behind enable-debug-command as in Redis; DIGEST, DIGEST-VALUE, POPULATE, PROTOCOL, SLEEP, "
             "SET-ACTIVE-EXPIRE, PAUSE-CRON, ERROR, LOG, CHANGE-REPL-ID, LISTPACK, QUICKLIST, STRINGMATCH-TEST; "
             "QUICKLIST-PACKED-THRESHOLD, SET-SKIP-CHECKSUM-VALIDATION and REPLYBUFFER accepted without effect; "
             "OBJECT, RELOAD, LOADAOF; HTSTATS, HTSTATS-KEY, SDSLEN, STRUCTSIZE and the crash subcommands not yet",
    "eval": "supported, on a Lua in Java: see \"Scripting\" under the behaviour that differs",
    "eval_ro": "as EVAL",
    "evalsha": "as EVAL",
    "evalsha_ro": "as EVAL",
    "fcall": "as EVAL",
    "fcall_ro": "as EVAL",
    "shutdown": "supported; a save at SIGTERM that fails is logged and the process exits",
    "flushdb": "ASYNC is executed synchronously",
    "flushall": "ASYNC is executed synchronously",
    "unlink": "frees in the garbage collector, so it behaves as DEL",
    "lolwut": "partial: the version line; the art of VERSION 5 and 6 is not drawn",
    "latency|histogram": "partial: power-of-two microsecond buckets (Redis's HDR histogram bounds differ slightly)",
    "module|load": "refused as Redis refuses it by default; when enabled, Quokka cannot load Redis modules",
    "module|loadex": "as MODULE LOAD",
    "module|unload": "no module is ever loaded",
    "wait": "no replicas yet: 0, after the timeout when replicas are asked for",
    "cluster": "answers as redis-server with cluster support disabled",
    "readonly": "answers as redis-server with cluster support disabled",
    "readwrite": "answers as redis-server with cluster support disabled",
    "asking": "answers as redis-server with cluster support disabled",
}


def cli(port, *args):
    out = subprocess.run(["redis-cli", "-p", str(port), "--no-raw", *args], capture_output=True, text=True)
    return out.stdout


def redis_commands(port):
    # COMMAND DOCS in --no-raw form: parse name and group of commands and subcommands.
    raw = subprocess.run(["redis-cli", "-p", str(port), "--json", "COMMAND", "DOCS"], capture_output=True, text=True)
    import json
    docs = json.loads(raw.stdout)
    rows = []
    for name, d in docs.items():
        rows.append((name, d.get("group", "?"), d.get("summary", "")))
        for sub, sd in (d.get("subcommands") or {}).items():
            rows.append((sub, sd.get("group", d.get("group", "?")), sd.get("summary", "")))
    return rows


def main():
    redis_port, quokka_port = sys.argv[1], sys.argv[2]
    served = set(subprocess.run(["redis-cli", "-p", quokka_port, "COMMAND", "LIST"], capture_output=True,
                                text=True).stdout.split())
    rows = sorted(redis_commands(redis_port), key=lambda r: (r[1], r[0]))
    group = None
    counts = {"supported": 0, "partial": 0, "not yet": 0}
    out = []
    for name, grp, summary in rows:
        if grp != group:
            group = grp
            out.append(f"\n### {grp}\n\n| command | status |\n|---|---|")
        note = NOTES.get(name) or (NOTES["cluster"] if name.startswith("cluster|") else None)
        if name in served:
            status = note if note else "supported"
            counts["partial" if note and note.startswith("partial") else "supported"] += 1
            if note == NOTES["cluster"]:
                counts["cluster"] = counts.get("cluster", 0) + 1
        else:
            status = "not yet"
            counts["not yet"] += 1
        out.append(f"| `{name.upper().replace('|', ' ')}` | {status} |")
    print(f"Of Redis 7.0's {len(rows)} commands and subcommands: {counts['supported']} supported "
          f"({counts.get('cluster', 0)} of them the cluster commands, answered as redis-server answers with cluster "
          f"support disabled), {counts['partial']} partial, {counts['not yet']} not yet.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
