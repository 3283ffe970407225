#!/usr/bin/env bash
# Runs the JMH benchmarks under src/test/java/dev/quokka/bench: bench/jmh.sh [JMH options]
# e.g. bench/jmh.sh HotPathBenchmark -f 1 -wi 3 -i 5. JAVA selects the JVM (default: java).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile
cp_file=target/jmh-classpath.txt
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
exec "${JAVA:-java}" -cp "target/test-classes:target/classes:$(cat "$cp_file")" org.openjdk.jmh.Main "$@"
