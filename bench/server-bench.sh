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
  ./mvnw -q -pl taskmanager-core,taskmanager-server install -DskipTests
  ./mvnw -q -pl taskmanager-benchmarks package -DskipTests
fi

fifo=$(mktemp -u); mkfifo "$fifo"; out=$(mktemp)
java -Xmx1g -cp "$JAR" dev.taskmanager.benchmarks.server.BenchServer "$API_PORT" "$FLOOR_PORT" <"$fifo" >"$out" 2>&1 &
server=$!
exec 3>"$fifo"   # the server runs until this descriptor closes
trap 'exec 3>&-; wait $server 2>/dev/null || true; rm -f "$fifo" "$out"' EXIT
for _ in $(seq 1 300); do grep -q '^ready' "$out" && break; sleep 0.1; done
grep '^ready' "$out" || { cat "$out"; exit 1; }
id=$(awk '/^ready/ {print $2}' "$out")

run() { # name url -> prints a result line on stderr and the requests/second on stdout
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2" >/tmp/wrk.$$ 2>&1
  rps=$(awk '/^Requests\/sec/ {print $2}' /tmp/wrk.$$)
  p50=$(awk '$1=="50%" {print $2}' /tmp/wrk.$$)
  p99=$(awk '$1=="99%" {print $2}' /tmp/wrk.$$)
  errors=$(grep -E 'Non-2xx|Socket errors' /tmp/wrk.$$ | tr -s ' ' || true)
  printf '%-34s %10s req/s   p50 %-8s p99 %-8s %s\n' "$1" "$rps" "$p50" "$p99" "$errors" >&2
  rm -f /tmp/wrk.$$
  echo "$rps"
}

FLOOR_URL="http://127.0.0.1:$FLOOR_PORT/floor"
STATUS_URL="http://127.0.0.1:$API_PORT/task_manager/task_status/$id"
LIST_URL="http://127.0.0.1:$API_PORT/task_manager/list_module_tasks/bench"
echo "warming up..." >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$FLOOR_URL" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$STATUS_URL" >/dev/null
wrk -t1 -c4 -d5s "$LIST_URL" >/dev/null

# Alternate floor and task_status so that drift on a shared machine hits both alike.
floor_sum=0; status_sum=0
for round in $(seq 1 "${ROUNDS:-3}"); do
  f=$(run "floor (fixed JSON, same stack) #$round" "$FLOOR_URL")
  s=$(run "task_status #$round" "$STATUS_URL")
  floor_sum=$(awk -v a="$floor_sum" -v b="$f" 'BEGIN {print a + b}')
  status_sum=$(awk -v a="$status_sum" -v b="$s" 'BEGIN {print a + b}')
done
awk -v s="$status_sum" -v f="$floor_sum" 'BEGIN { printf "task_status / floor = %.0f%% (target >= 80%%)\n", 100 * s / f }' >&2
THREADS=1 CONNECTIONS=4 run "list_module_tasks (10,000 tasks)" "$LIST_URL" >/dev/null

exec 3>&-; wait $server 2>/dev/null || true

echo
echo "5,000 pending wait_task requests:"
java -Xmx1g -cp "$JAR" dev.taskmanager.benchmarks.server.WaitLoad 5000
