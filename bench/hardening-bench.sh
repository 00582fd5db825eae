#!/usr/bin/env bash
# Issue 11's figures, measured again (loopback only; every step bounded in time):
#   1. the live heap while slow readers hold a huge listing     (SlowListingLoad)
#   2. the live heap after many timed-out wait_task polls       (WaitLeak)
#   3. the server's descriptors under a slowloris attack        (Slowloris against BenchServer)
#   4. memory per task, per connection and per pending wait     (MemoryFootprint)
#
#   bench/hardening-bench.sh            # the full figures: 1M tasks/80 readers, 300,000 polls, 20,000 connections
#   SCALE=smoke bench/hardening-bench.sh  # the same at small scale, a minute in all
#
# Set SKIP_BUILD=1 to reuse taskmanager-benchmarks/target/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=taskmanager-benchmarks/target/benchmarks.jar
PKG=dev.taskmanager.benchmarks.server
API_PORT="${API_PORT:-18090}"
FLOOR_PORT="${FLOOR_PORT:-18091}"

if [ "${SCALE:-full}" = smoke ]; then
  TASKS=50000; READERS=20; POLLS=30000; LORIS=1500; LORIS_SOURCES=3; LORIS_INTERVAL=2; LORIS_SECONDS=16
  FOOT_TASKS=50000; FOOT_CONNECTIONS=1000
else
  TASKS=1000000; READERS=80; POLLS=300000; LORIS=18000; LORIS_SOURCES=10; LORIS_INTERVAL=10; LORIS_SECONDS=60
  FOOT_TASKS=1000000; FOOT_CONNECTIONS=5000
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -q -B -pl taskmanager-benchmarks -am package -DskipTests
fi
quiet() { grep -v -e '^SLF4J' -e ' INFO ' || true; }

echo "== 1. $READERS slow readers of a $TASKS-task listing (-Xmx1g)"
java -Xmx1g -cp "$JAR" "$PKG.SlowListingLoad" "$TASKS" "$READERS" 2>&1 | quiet
echo
echo "== 2. $POLLS timed-out wait_task polls of one running task (-Xmx512m)"
java -Xmx512m -cp "$JAR" "$PKG.WaitLeak" "$POLLS" 2>&1 | quiet
echo
echo "== 3. slowloris: $LORIS connections from $LORIS_SOURCES addresses against a server with the default limits"
fifo=$(mktemp -u); mkfifo "$fifo"; out=$(mktemp)
java -Xmx1g -cp "$JAR" "$PKG.BenchServer" "$API_PORT" "$FLOOR_PORT" <"$fifo" >"$out" 2>&1 &
server=$!
exec 3>"$fifo"   # the server runs until this descriptor closes
trap 'exec 3>&-; wait $server 2>/dev/null || true; rm -f "$fifo" "$out"' EXIT
for _ in $(seq 1 300); do grep -q '^ready' "$out" && break; sleep 0.1; done
grep -q '^ready' "$out" || { cat "$out"; exit 1; }
echo "server descriptors before: $(ls /proc/$server/fd | wc -l)"
java -cp "$JAR" "$PKG.Slowloris" "$API_PORT" "$server" "$LORIS" "$LORIS_INTERVAL" "$LORIS_SECONDS" "$LORIS_SOURCES" 2>&1 | quiet
exec 3>&-; wait $server 2>/dev/null || true
echo
echo "== 4. memory per unit (-Xmx2g)"
java -Xmx2g -cp "$JAR" "$PKG.MemoryFootprint" "$FOOT_TASKS" "$FOOT_CONNECTIONS" 2>&1 | quiet
