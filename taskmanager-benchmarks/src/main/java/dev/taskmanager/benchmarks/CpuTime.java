package dev.taskmanager.benchmarks;

import dev.taskmanager.benchmarks.store.StoreW1Benchmark;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The core benchmarks timed by the CPU time of the thread that runs them, for a machine shared with
 * other work. JMH measures wall-clock time, which on a loaded 2-core box swings by ±30% from run to
 * run as the benchmark thread waits for a core; the thread's CPU time
 * ({@code ThreadMXBean.getCurrentThreadCpuTime}) leaves the waiting out. It still moves a few percent
 * with what shares the core's caches, so compare two builds by running them alternately, several
 * times, and reading the minimum and the median.
 *
 * <p>Each workload is a {@code @Benchmark} method of {@link LifecycleBenchmark} or
 * {@link QueryBenchmark}, called in a plain loop: {@code warmup} rounds of {@code ops} calls, then
 * {@code rounds} measured rounds. Printed per workload: CPU nanoseconds (microseconds for query
 * pages) per call as the minimum, median and maximum over the rounds, and bytes allocated per call.
 *
 * <p>Run (the classpath may put another build's core classes first, to compare builds on the same
 * benchmark code):
 * <pre>{@code
 * java -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.CpuTime \
 *     w1,w1Frozen,floor,w2,floorTree [ops=1000000] [rounds=11] [warmup=5]
 * java -Xmx3g -Xms3g -cp taskmanager-benchmarks/target/benchmarks.jar dev.taskmanager.benchmarks.CpuTime \
 *     pageByType1,pageByLabel1,pageByType4,pageByLabel4 ops=2000 rounds=9 warmup=3
 * }</pre>
 * Workloads: {@code w1}, {@code w1Frozen}, {@code floor}, {@code w2}, {@code floorTree};
 * W1 beside listeners: {@code w1Bare}, {@code w1EmptyListener}, {@code w1Metrics} ({@link MetricsBenchmark})
 * and {@code w1StoreOff}, {@code w1StoreListener}, {@code w1StoreSnapshotListener}, {@code w1StoreMap},
 * {@code w1StoreSqlite} ({@link StoreW1Benchmark});
 * {@code pageByType}, {@code pageByLabel}, {@code pageByTypeNewestFirst}, {@code page} followed by
 * the shard count (1 or 4); {@code w3List} and {@code w3Floor} (listing 100,000 tasks, and its floor)
 * followed by the shard count. W2 and the floor tree run {@code ops / 10} calls per round.
 */
public final class CpuTime {
    private static Object sink;

    private CpuTime() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: CpuTime workload[,workload...] [ops=N] [rounds=N] [warmup=N]");
            System.exit(2);
        }
        Map<String, Long> options = new LinkedHashMap<>(Map.of("ops", 1_000_000L, "rounds", 11L, "warmup", 5L));
        for (int i = 1; i < args.length; i++) {
            String[] option = args[i].split("=", 2);
            if (option.length != 2 || !options.containsKey(option[0])) {
                System.err.println("unknown option: " + args[i]);
                System.exit(2);
            }
            options.put(option[0], Long.parseLong(option[1]));
        }
        for (String workload : args[0].split(",")) {
            run(workload, options.get("ops").intValue(), options.get("rounds").intValue(),
                    options.get("warmup").intValue());
        }
    }

    private static void run(String workload, int ops, int rounds, int warmup) {
        if (workload.startsWith("w3")) {
            RegistryBenchmark registry = new RegistryBenchmark();
            registry.shards = shardsOf(workload);
            registry.setUp();
            try {
                // JMH's own escape hatch for using a Blackhole outside a benchmark run.
                Blackhole blackhole = new Blackhole(
                        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
                String name = workload.replaceAll("\\d+$", "");
                Supplier<Object> call;
                switch (name) {
                    case "w3List": call = () -> { registry.w3List100kTasks(blackhole); return null; }; break;
                    case "w3Floor": call = () -> { registry.floorList100kSummaries(blackhole); return null; }; break;
                    default: throw new IllegalArgumentException("unknown workload: " + workload);
                }
                measure(workload, call, ops, rounds, warmup, 1_000_000.0, "ms");
            } finally {
                registry.tearDown();
            }
            return;
        }
        if (workload.startsWith("page")) {
            QueryBenchmark queries = new QueryBenchmark();
            queries.shards = shardsOf(workload);
            queries.setUp();
            try {
                String name = workload.replaceAll("\\d+$", "");
                Supplier<Object> call;
                switch (name) {
                    case "pageByType": call = queries::pageOf100FilteredByType; break;
                    case "pageByLabel": call = queries::pageOf100FilteredByLabel; break;
                    case "pageByTypeNewestFirst": call = queries::pageOf100FilteredByTypeNewestFirst; break;
                    case "page": call = queries::pageOf100; break;
                    default: throw new IllegalArgumentException("unknown workload: " + workload);
                }
                measure(workload, call, ops, rounds, warmup, 1_000.0, "us");
            } finally {
                queries.tearDown();
            }
            return;
        }
        if (workload.startsWith("w1Metrics") || workload.equals("w1Bare") || workload.equals("w1EmptyListener")) {
            MetricsBenchmark metrics = new MetricsBenchmark();
            metrics.setUp();
            try {
                Supplier<Object> call;
                switch (workload) {
                    case "w1Bare": call = metrics::w1Bare1Thread; break;
                    case "w1EmptyListener": call = metrics::w1EmptyListener1Thread; break;
                    case "w1Metrics": call = metrics::w1Metrics1Thread; break;
                    default: throw new IllegalArgumentException("unknown workload: " + workload);
                }
                measure(workload, call, ops, rounds, warmup, 1, "ns");
            } finally {
                metrics.tearDown();
            }
            return;
        }
        if (workload.startsWith("w1Store")) {
            StoreW1Benchmark store = new StoreW1Benchmark();
            String param = workload.substring("w1Store".length()); // w1StoreSnapshotListener: snapshotListener
            store.store = param.isEmpty() ? param : param.substring(0, 1).toLowerCase(Locale.ROOT) + param.substring(1);
            if (!java.util.List.of("off", "listener", "snapshotListener", "map", "sqlite").contains(store.store)) {
                throw new IllegalArgumentException("unknown workload: " + workload);
            }
            store.setUp();
            try {
                measure(workload, store::w1RootLifecycle1Thread, ops, rounds, warmup, 1, "ns");
            } finally {
                try {
                    store.tearDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return;
        }
        LifecycleBenchmark lifecycle = new LifecycleBenchmark();
        lifecycle.setUp();
        try {
            switch (workload) {
                case "w1": measure(workload, lifecycle::w1RootLifecycle1Thread, ops, rounds, warmup, 1, "ns"); break;
                case "w1Frozen":
                    measure(workload, lifecycle::w1RootLifecycleFrozenClock1Thread, ops, rounds, warmup, 1, "ns");
                    break;
                case "floor": measure(workload, lifecycle::floor1Thread, ops, rounds, warmup, 1, "ns"); break;
                case "w2": measure(workload, lifecycle::w2RootWith16FoldingChildren, ops / 10, rounds, warmup, 1, "ns");
                    break;
                case "floorTree":
                    measure(workload, lifecycle::floorTreeWith16Children, ops / 10, rounds, warmup, 1, "ns");
                    break;
                default: throw new IllegalArgumentException("unknown workload: " + workload);
            }
        } finally {
            lifecycle.tearDown();
        }
    }

    /** The shard count a workload name ends with, e.g. 4 in {@code pageByType4}. */
    private static int shardsOf(String workload) {
        String digits = workload.replaceAll("^.*?(\\d+)$", "$1");
        if (digits.equals(workload)) {
            throw new IllegalArgumentException("workload " + workload + " must end with a shard count, e.g. "
                    + workload + "1");
        }
        return Integer.parseInt(digits);
    }

    private static void measure(String workload, Supplier<Object> call, int ops, int rounds, int warmup,
                                double scale, String unit) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        double[] perCall = new double[rounds];
        long allocatedBefore = 0;
        for (int round = -warmup; round < rounds; round++) {
            if (round == 0) {
                allocatedBefore = threads.getThreadAllocatedBytes(thread);
            }
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                sink = call.get();
            }
            long cpu = threads.getCurrentThreadCpuTime() - start;
            if (round >= 0) {
                perCall[round] = cpu / scale / ops;
            }
        }
        double bytes = (threads.getThreadAllocatedBytes(thread) - allocatedBefore) / (double) ops / rounds;
        Arrays.sort(perCall);
        System.out.printf(Locale.ROOT, "%-24s min %10.1f  median %10.1f  max %10.1f %s/op (CPU)  %8.0f B/op%n",
                workload, perCall[0], perCall[rounds / 2], perCall[rounds - 1], unit, bytes);
    }
}
