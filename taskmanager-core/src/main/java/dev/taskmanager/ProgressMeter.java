package dev.taskmanager;

/**
 * A task's own progress figures and the estimate of how fast they grow (SPEC §8, SPEC §18).
 * Allocated on a task's first report, so tasks that never report cost nothing; guarded by the
 * task's monitor.
 *
 * <p><b>Rate.</b> An exponentially weighted average of progress per second with a time constant of
 * {@value #TAU_SECONDS} seconds: a sample {@code t} seconds old weighs {@code e^(-t/10)}, so the
 * estimate reflects roughly the last 10–30 seconds and decays toward 0 when reports stop. Each
 * report's progress is spread evenly over the time since the previous report, and the sum is
 * divided by the weight of the time observed so far, so a constant rate reads exactly at every
 * report from the second one on, however irregular the reports. The first report is the baseline
 * (it tells where counting starts, not how fast); a {@code set} that goes backwards starts over.
 * Time is the injected {@link Ticker}, so tests script it.
 */
final class ProgressMeter {
    static final long TAU_SECONDS = 10;
    private static final double TAU_NANOS = TAU_SECONDS * 1e9;

    /** The task reports its own progress: its figures replace its children's. */
    boolean reportsOwn;
    /** A total was declared with {@code set} or {@code expectTotal}. */
    boolean hasExpected;
    double completed;
    double expectedTotal;
    /** Ticker reading of the last change (report or declared total). */
    long lastChangeTick;

    private boolean sampling;
    private long baseTick;
    private long lastSampleTick;
    /** The weighted progress at {@code lastSampleTick}, in progress units. */
    private double weighted;

    void add(double delta, long now) {
        completed += delta;
        reportsOwn = true;
        sample(delta, now);
    }

    void set(double completed, double total, long now) {
        double delta = completed - this.completed;
        this.completed = completed;
        this.expectedTotal = total;
        reportsOwn = true;
        hasExpected = true;
        if (delta < 0) {
            sampling = false; // went backwards: a new run of the work, estimate afresh
        }
        sample(Math.max(delta, 0), now);
    }

    void expectTotal(double total, long now) {
        expectedTotal = total;
        hasExpected = true;
        lastChangeTick = now;
    }

    private void sample(double delta, long now) {
        lastChangeTick = now;
        if (!sampling) {
            sampling = true;
            baseTick = now;
            lastSampleTick = now;
            weighted = 0;
            return;
        }
        long elapsed = now - lastSampleTick;
        if (elapsed <= 0) {
            weighted += delta;
            return;
        }
        double decay = Math.exp(-elapsed / TAU_NANOS);
        weighted = weighted * decay + delta * TAU_NANOS * (1 - decay) / elapsed;
        lastSampleTick = now;
    }

    /** Progress per second at {@code now}, or NaN while unknown (fewer than two reports apart in time). */
    double rate(long now) {
        if (!sampling) {
            return Double.NaN;
        }
        long observed = now - baseTick;
        if (observed <= 0) {
            return Double.NaN;
        }
        long sinceSample = Math.max(0, now - lastSampleTick);
        double current = weighted * Math.exp(-sinceSample / TAU_NANOS);
        double window = TAU_NANOS * (1 - Math.exp(-observed / TAU_NANOS));
        double perSecond = current / window * 1e9;
        return Double.isFinite(perSecond) && perSecond >= 0 ? perSecond : Double.NaN;
    }
}
