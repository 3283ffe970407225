#!/usr/bin/env bash
# Miss ratios of the eviction policies on synthetic traces, through Quokka's real eviction code
# (src/test/java/dev/quokka/bench/CacheSimulation.java). JAVA selects the JVM (default: java).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q test-compile
cp_file=target/bench-classpath.txt
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
exec "${JAVA:-java}" -Xmx4g -cp "target/test-classes:target/classes:$(cat "$cp_file")" dev.quokka.bench.CacheSimulation "$@"
