package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §4: sequence numbers per module per shard. */
class SequenceNumberTest {
    private final TaskManager tm = new FakeTime().builder().shards(2).build();
    private final TaskModule module = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void followsTheSpecExample() {
        TrackedTask a = module.task("t").shard(0).track();
        TrackedTask b = module.task("t").shard(0).track();
        TrackedTask childOfA = a.child("t").track();
        TrackedTask childOfBOnShard1 = b.child("t").shard(1).track();
        TrackedTask rootOnShard1 = module.task("t").shard(1).track();

        assertThat(a.status().sequenceNumber()).isEqualTo(1);
        assertThat(b.status().sequenceNumber()).isEqualTo(2);
        assertThat(childOfA.status().sequenceNumber()).isEqualTo(1);
        assertThat(childOfBOnShard1.status().sequenceNumber()).isEqualTo(2);
        assertThat(childOfBOnShard1.status().shard()).isEqualTo(1);
        assertThat(rootOnShard1.status().sequenceNumber()).isEqualTo(1);
    }

    @Test
    void eachModuleCountsOnItsOwn() {
        TaskModule other = tm.module("compaction");
        module.task("t").track();
        module.task("t").track();

        assertThat(other.task("t").track().status().sequenceNumber()).isEqualTo(1);
    }

    @Test
    void aCreatorMaySupplyTheNumberWithoutAdvancingTheCounter() {
        TrackedTask supplied = module.task("t").sequenceNumber(42).track();
        TrackedTask next = module.task("t").track();

        assertThat(supplied.status().sequenceNumber()).isEqualTo(42);
        assertThat(next.status().sequenceNumber()).isEqualTo(1);
    }
}
