package dev.quokka.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A chained hash table keyed by {@code byte[]} (Redis's {@code dict} for hash fields, set members
 * and sorted-set members), with power-of-two sizes, a reverse-binary {@link #scan} cursor with
 * Redis's SCAN guarantee, and random picks for SPOP/SRANDMEMBER/HRANDFIELD.
 */
public final class BytesMap {
    /** One key with its value ({@code null} for sets) and cached hash. */
    public static class Node {
        final byte[] key;
        final int hash;
        Object value;
        Node next;

        Node(byte[] key, int hash, Object value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
        }

        public byte[] key() {
            return key;
        }

        public Object value() {
            return value;
        }

        public void value(Object v) {
            value = v;
        }
    }

    /** A sorted set's member with its score, held unboxed (the value stays null). */
    public static final class Scored extends Node {
        private double score;

        Scored(byte[] key, int hash, double score) {
            super(key, hash, null);
            this.score = score;
        }

        public double score() {
            return score;
        }

        public void score(double s) {
            score = s;
        }
    }

    /** Bytes of one node: header, three references, the hash. */
    public static final int NODE = MemoryModel.align(MemoryModel.OBJECT_HEADER + 3L * MemoryModel.REF + 4);
    /** Bytes of a {@link Scored} node. */
    public static final int SCORED_NODE = MemoryModel.align(MemoryModel.OBJECT_HEADER + 3L * MemoryModel.REF + 4 + 8);

    private Node[] table = new Node[4];
    private int size;

    public int size() {
        return size;
    }

    /** Bytes of the bucket array. */
    public long tableBytes() {
        return MemoryModel.refArray(table.length);
    }

    public Node get(byte[] key) {
        int h = Database.hash(key);
        for (Node n = table[h & (table.length - 1)]; n != null; n = n.next) {
            if (n.hash == h && Arrays.equals(n.key, key)) {
                return n;
            }
        }
        return null;
    }

    /** The first node of the chain where a key of hash {@code h} ({@link Database#hash}) would be. */
    Node bucket(int h) {
        return table[h & (table.length - 1)];
    }

    /** Adds a key known to be absent. */
    public Node add(byte[] key, Object value) {
        return link(new Node(key, Database.hash(key), value));
    }

    /** Adds a sorted set's member known to be absent, with its score. */
    public Scored addScored(byte[] key, double score) {
        return link(new Scored(key, Database.hash(key), score));
    }

    private <N extends Node> N link(N n) {
        int h = n.hash;
        int i = h & (table.length - 1);
        n.next = table[i];
        table[i] = n;
        if (++size > table.length) {
            resize(table.length * 2);
        }
        return n;
    }

    /** Removes a key; returns its node or null. */
    public Node remove(byte[] key) {
        int h = Database.hash(key);
        int i = h & (table.length - 1);
        Node prev = null;
        for (Node n = table[i]; n != null; prev = n, n = n.next) {
            if (n.hash == h && Arrays.equals(n.key, key)) {
                if (prev == null) {
                    table[i] = n.next;
                } else {
                    prev.next = n.next;
                }
                n.next = null;
                size--;
                if (table.length > 4 && size * 10 < table.length) {
                    int cap = 4;
                    while (cap < size) {
                        cap <<= 1;
                    }
                    resize(cap);
                }
                return n;
            }
        }
        return null;
    }

    /** Every node, in table order. */
    public void forEach(Consumer<Node> visitor) {
        for (Node head : table) {
            for (Node n = head; n != null; n = n.next) {
                visitor.accept(n);
            }
        }
    }

    /** The nodes in an array, safe to change the map while walking it. */
    public Node[] nodes() {
        Node[] out = new Node[size];
        int k = 0;
        for (Node head : table) {
            for (Node n = head; n != null; n = n.next) {
                out[k++] = n;
            }
        }
        return out;
    }

    /**
     * A uniformly random node, or null when empty: a random bucket and a random slot among the
     * first {@value #FAIR_SLOTS} of its chain, retried while the slot is past the chain's end
     * (every node in a chain of up to that length is equally likely; longer chains, rare below a
     * load factor of 1, fall back to a position within the chain).
     */
    public Node random() {
        if (size == 0) {
            return null;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int tries = 0; tries < 1000; tries++) {
            Node n = table[rnd.nextInt(table.length)];
            for (int k = rnd.nextInt(FAIR_SLOTS); n != null && k > 0; k--) {
                n = n.next;
            }
            if (n != null) {
                return n;
            }
        }
        Node head;
        do {
            head = table[rnd.nextInt(table.length)];
        } while (head == null);
        return head;
    }

    private static final int FAIR_SLOTS = 8;

    /** One bucket per call, reverse-binary cursor (see {@link Database#scan}); 0 when done. */
    public long scan(long cursor, Consumer<Node> visitor) {
        if (size == 0) {
            return 0;
        }
        long mask = table.length - 1;
        for (Node n = table[(int) (cursor & mask)]; n != null; n = n.next) {
            visitor.accept(n);
        }
        cursor |= ~mask;
        cursor = Long.reverse(cursor);
        cursor++;
        return Long.reverse(cursor);
    }

    private void resize(int capacity) {
        Node[] t = new Node[capacity];
        int mask = capacity - 1;
        for (Node head : table) {
            Node n = head;
            while (n != null) {
                Node next = n.next;
                int i = n.hash & mask;
                n.next = t[i];
                t[i] = n;
                n = next;
            }
        }
        table = t;
    }
}
