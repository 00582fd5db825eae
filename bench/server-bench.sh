#!/usr/bin/env bash
# Server benchmarks (issue #3): requests/second of task_status and list_module_tasks (10,000 tasks)
# against a fixed-JSON floor on the same Jetty stack, then threads and heap under 5,000 pending
# wait_task requests. Loopback only; bounded in time. Needs wrk (apt-get install -y wrk).
#
#   bench/server-bench.sh [seconds per endpoint, default 10] [connections, default 32]
#
# Set SKIP_BUILD=1 to reuse taskmanager-benchmarks/target/benchmarks.jar; ROUNDS=n (default 3)
# alternates floor and task_status n times and compares the sums.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
THREADS=2
API_PORT="${API_PORT:-18080}"
FLOOR_PORT="${FLOOR_PORT:-18081}"
JAR=taskmanager-benchmarks/target/benchmarks.jar

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ -z "${SKIP_BUILD:-}" ]; then
  ./mvnw -q -pl taskmanager-benchmarks -am package -DskipTests
fi

fifo=$(mktemp -u); mkfifo "$fifo"; out=$(mktemp)
java -Xmx1g -cp "$JAR" dev.taskmanager.benchmarks.server.BenchServer "$API_PORT" "$FLOOR_PORT" <"$fifo" >"$out" 2>&1 &
server=$!
exec 3>"$fifo"   # the server runs until this descriptor closes
trap 'exec 3>&-; wait $server 2>/dev/null || true; rm -f "$fifo" "$out"' EXIT
for _ in $(seq 1 300); do grep -q '^ready' "$out" && break; sleep 0.1; done
grep '^ready' "$out" || { cat "$out"; exit 1; }
id=$(awk '/^ready/ {print $2}' "$out")

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }   # the server JVM's user+system time
TICKS=$(getconf CLK_TCK)

run() { # name url -> prints a result line on stderr and "req/s server-cpu-us-per-request" on stdout
  before=$(cpu_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2" >/tmp/wrk.$$ 2>&1
  after=$(cpu_ticks)
  rps=$(awk '/^Requests\/sec/ {print $2}' /tmp/wrk.$$)
  requests=$(awk '/requests in/ {print $1}' /tmp/wrk.$$)
  cpu=$(awk -v b="$before" -v a="$after" -v t="$TICKS" -v n="$requests" 'BEGIN {printf "%.1f", (a - b) / t * 1e6 / n}')
  p50=$(awk '$1=="50%" {print $2}' /tmp/wrk.$$)
  p99=$(awk '$1=="99%" {print $2}' /tmp/wrk.$$)
  errors=$(grep -E 'Non-2xx|Socket errors' /tmp/wrk.$$ | tr -s ' ' || true)
  printf '%-34s %10s req/s  server CPU %6s us/req  p50 %-8s p99 %-8s %s\n' "$1" "$rps" "$cpu" "$p50" "$p99" "$errors" >&2
  rm -f /tmp/wrk.$$
  echo "$rps $cpu"
}

FLOOR_URL="http://127.0.0.1:$FLOOR_PORT/floor"
STATUS_URL="http://127.0.0.1:$API_PORT/task_manager/task_status/$id"
LIST_URL="http://127.0.0.1:$API_PORT/task_manager/list_module_tasks/bench"
echo "warming up..." >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s "$FLOOR_URL" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s "$STATUS_URL" >/dev/null
wrk -t1 -c4 -d5s "$LIST_URL" >/dev/null

# Alternate floor and task_status so that drift on a shared machine hits both alike. Throughput on a
# shared 2-core box swings with whatever else runs; the server's CPU time per request is far steadier,
# so both ratios are printed: throughput, and capacity (floor CPU per request / task_status CPU per request).
results=""
for round in $(seq 1 "${ROUNDS:-3}"); do
  results="$results floor $(run "floor (fixed JSON, same stack) #$round" "$FLOOR_URL")"
  results="$results status $(run "task_status #$round" "$STATUS_URL")"
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
pick() { echo "$results" | awk -v k="$1" -v f="$2" '{for (i = 1; i <= NF; i += 3) if ($i == k) printf "%s ", $(i + f)}'; }
floor_rps=$(pick floor 1 | median); status_rps=$(pick status 1 | median)
floor_cpu=$(pick floor 2 | median); status_cpu=$(pick status 2 | median)
awk -v sr="$status_rps" -v fr="$floor_rps" -v sc="$status_cpu" -v fc="$floor_cpu" 'BEGIN {
  printf "medians: floor %.0f req/s %.1f us/req, task_status %.0f req/s %.1f us/req\n", fr, fc, sr, sc
  printf "task_status / floor: throughput %.0f%%, capacity at equal server CPU %.0f%% (target >= 80%%)\n",
         100 * sr / fr, 100 * fc / sc }' >&2
THREADS=1 CONNECTIONS=4 run "list_module_tasks (10,000 tasks)" "$LIST_URL" >/dev/null

exec 3>&-; wait $server 2>/dev/null || true

echo
echo "5,000 pending wait_task requests:"
java -Xmx1g -cp "$JAR" dev.taskmanager.benchmarks.server.WaitLoad 5000
