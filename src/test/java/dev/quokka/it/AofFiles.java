package dev.quokka.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads AOF files for assertions: each command as its arguments joined by spaces. */
final class AofFiles {
    private AofFiles() {
    }

    static List<String> commands(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        List<String> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < b.length) {
            if (b[pos[0]] != '*') {
                throw new IOException("not a command at offset " + pos[0] + " of " + file);
            }
            pos[0]++;
            int n = (int) number(b, pos);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                pos[0]++; // '$'
                int len = (int) number(b, pos);
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(new String(b, pos[0], len, StandardCharsets.ISO_8859_1));
                pos[0] += len + 2;
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static long number(byte[] b, int[] pos) {
        long n = 0;
        while (b[pos[0]] != '\r') {
            n = n * 10 + (b[pos[0]++] - '0');
        }
        pos[0] += 2;
        return n;
    }

    /** The files of the manifest in {@code aofDir}, in loading order (base first). */
    static List<Path> dataFiles(Path aofDir) throws IOException {
        List<Path> files = new ArrayList<>();
        String base = null;
        for (String line : Files.readAllLines(aofDir.resolve("appendonly.aof.manifest"))) {
            String[] f = line.split(" ");
            if (f[5].equals("b")) {
                base = f[1];
            } else if (f[5].equals("i")) {
                files.add(aofDir.resolve(f[1]));
            }
        }
        if (base != null) {
            files.add(0, aofDir.resolve(base));
        }
        return files;
    }

    /** The last incremental file of the manifest in {@code aofDir}. */
    static Path lastIncr(Path aofDir) throws IOException {
        List<Path> files = dataFiles(aofDir);
        return files.get(files.size() - 1);
    }
}
