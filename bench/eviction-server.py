#!/usr/bin/env python3
"""Hit ratios of the eviction policies on a running server, Quokka and redis-server side by side.

Starts the packaged Quokka (bin/quokka) and Debian's redis-server with the same maxmemory, then
for each policy: FLUSHALL, CONFIG SET maxmemory-policy, CONFIG RESETSTAT, and replays a Zipf
trace as a cache does (pipelined GETs; a SET of a 100-byte value for each miss). Prints
keyspace_hits, keyspace_misses, the hit ratio, evicted_keys and the keys held at the end.

  bench/eviction-server.py                        # zipf 1.0, 200,000 keys, 1,000,000 accesses, 10mb
  bench/eviction-server.py --alpha 0.8 --maxmemory 20mb

The two servers account memory differently (Redis: its allocator's bytes; Quokka: the JVM layout
of each key), so at the same maxmemory they hold different numbers of keys; compare policies
within a server, and the keys held across servers.
"""
import argparse
import bisect
import importlib.util
import os
import random
import socket

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("vs_redis", os.path.join(here, "vs-redis.py"))
vs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vs)


def trace(keys, accesses, alpha, seed=7):
    rnd = random.Random(seed)
    weights = [1.0 / (r + 1) ** alpha for r in range(keys)]
    total = sum(weights)
    cdf, acc = [], 0.0
    for w in weights:
        acc += w / total
        cdf.append(acc)
    perm = list(range(keys))
    rnd.shuffle(perm)
    return [perm[min(bisect.bisect_left(cdf, rnd.random()), keys - 1)] for _ in range(accesses)]


def command(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.f = self.s.makefile("rb", buffering=1 << 16)

    def reply(self):
        line = self.f.readline()
        if line[:1] == b"$":
            n = int(line[1:])
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2]
        if line[:1] == b"-":
            raise RuntimeError(line.decode().strip())
        return line[1:].strip()

    def pipeline(self, cmds):
        self.s.sendall(b"".join(cmds))
        return [self.reply() for _ in cmds]

    def info(self, field):
        text = self.pipeline([command("INFO", "all")])[0].decode()
        for line in text.split("\r\n"):
            if line.startswith(field + ":"):
                return line.split(":", 1)[1]
        return None


def replay(conn, keys, value, batch=500):
    for i in range(0, len(keys), batch):
        chunk = keys[i:i + batch]
        got = conn.pipeline([command("GET", b"key:%d" % k) for k in chunk])
        misses = [k for k, v in zip(chunk, got) if v is None]
        if misses:
            conn.pipeline([command("SET", b"key:%d" % k, value) for k in misses])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keys", type=int, default=200_000)
    ap.add_argument("--accesses", type=int, default=1_000_000)
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--maxmemory", default="10mb")
    args = ap.parse_args()
    keys = trace(args.keys, args.accesses, args.alpha)
    value = b"v" * 100
    print(f"zipf {args.alpha} over {args.keys} keys, {args.accesses} accesses (GET, SET on miss, 100-byte values), "
          f"maxmemory {args.maxmemory}; {vs.jvm_desc()}")
    print(f"{'server':7} {'policy':16} {'hits':>9} {'misses':>9} {'hit ratio':>9} {'evicted':>9} {'keys held':>9}")
    qport, rport = vs.free_port(), vs.free_port()
    limits = ("--appendonly", "no", "--maxmemory", args.maxmemory)
    quokka = vs.Server("quokka", vs.quokka_argv(qport, *limits), qport, vs.quokka_env())
    redis = vs.Server("redis", vs.redis_argv(rport, *limits), rport)
    plans = [(quokka, ["allkeys-lru", "allkeys-lfu", "allkeys-random", "allkeys-sieve"]),
             (redis, ["allkeys-lru", "allkeys-lfu", "allkeys-random"])]
    try:
        for server, policies in plans:
            conn = Conn(server.port)
            for policy in policies:
                conn.pipeline([command("FLUSHALL"), command("CONFIG", "SET", "maxmemory-policy", policy),
                               command("CONFIG", "RESETSTAT")])
                replay(conn, keys, value)
                hits, misses = int(conn.info("keyspace_hits")), int(conn.info("keyspace_misses"))
                evicted = int(conn.info("evicted_keys"))
                held = int(conn.pipeline([command("DBSIZE")])[0])
                print(f"{server.name:7} {policy:16} {hits:9d} {misses:9d} {hits / (hits + misses):9.4f} "
                      f"{evicted:9d} {held:9d}")
    finally:
        quokka.stop()
        redis.stop()


if __name__ == "__main__":
    main()
