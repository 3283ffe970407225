package dev.quokka.keyspace;

/**
 * Redis's glob matching ({@code stringmatchlen}): {@code *}, {@code ?}, {@code [abc]},
 * {@code [^a-z]}, and {@code \} to escape, over raw bytes; optionally case-insensitive
 * (CONFIG GET uses that).
 */
public final class Glob {
    private Glob() {
    }

    public static boolean match(byte[] pattern, byte[] s, boolean nocase) {
        return match(pattern, 0, s, 0, nocase, 0) == 1;
    }

    /** @return 1 match, 0 no match, -1 no match and no longer suffix can match (Redis's skipLongerMatches) */
    private static int match(byte[] p, int pi, byte[] s, int si, boolean nocase, int nesting) {
        // Like Redis 7.0.x, bound the recursion on patterns made of many stars.
        if (nesting > 1000) {
            return -1;
        }
        int plen = p.length;
        int slen = s.length;
        while (pi < plen && si < slen) {
            switch (p[pi]) {
                case '*' -> {
                    while (pi + 1 < plen && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == plen) {
                        return 1;
                    }
                    while (si < slen) {
                        int r = match(p, pi + 1, s, si, nocase, nesting + 1);
                        if (r == 1) {
                            return 1;
                        }
                        if (r == -1) {
                            return -1;
                        }
                        si++;
                    }
                    return -1;
                }
                case '?' -> si++;
                case '[' -> {
                    pi++;
                    boolean not = pi < plen && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    while (true) {
                        if (pi < plen && p[pi] == '\\' && plen - pi >= 2) {
                            pi++;
                            if (p[pi] == s[si]) {
                                matched = true;
                            }
                        } else if (pi >= plen || p[pi] == ']') {
                            break;
                        } else if (plen - pi >= 3 && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff;
                            int end = p[pi + 2] & 0xff;
                            int c = s[si] & 0xff;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = lower(start);
                                end = lower(end);
                                c = lower(c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                matched = true;
                            }
                        } else {
                            if (nocase ? lower(p[pi] & 0xff) == lower(s[si] & 0xff) : p[pi] == s[si]) {
                                matched = true;
                            }
                        }
                        pi++;
                    }
                    if (pi >= plen) {
                        pi--; // unterminated class: like Redis, the last char is treated as the end
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return 0;
                    }
                    si++;
                }
                case '\\' -> {
                    if (plen - pi >= 2) {
                        pi++;
                    }
                    if (!eq(p[pi], s[si], nocase)) {
                        return 0;
                    }
                    si++;
                }
                default -> {
                    if (!eq(p[pi], s[si], nocase)) {
                        return 0;
                    }
                    si++;
                }
            }
            pi++;
            if (si == slen) {
                while (pi < plen && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == plen && si == slen ? 1 : 0;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        return nocase ? lower(a & 0xff) == lower(b & 0xff) : a == b;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
