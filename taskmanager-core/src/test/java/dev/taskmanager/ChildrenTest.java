package dev.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §5: parents, children, internal. */
class ChildrenTest {
    private final TaskManager tm = new FakeTime().builder().shards(2).build();
    private final TaskModule module = tm.module("repair");

    @AfterEach
    void close() {
        tm.close();
    }

    @Test
    void aChildJoinsItsParentsLiveChildrenAtOnce() {
        TrackedTask parent = module.task("repair").track();
        TrackedTask child = parent.child("repair").scope("keyspace").track();

        assertThat(parent.status().children()).containsExactly(child.id());
        assertThat(child.status().parentId()).isEqualTo(parent.id());
    }

    @Test
    void aTaskIsInternalExactlyWhenItHasAParentByDefault() {
        TrackedTask root = module.task("repair").track();
        TrackedTask child = root.child("repair").track();
        TrackedTask visibleChild = root.child("repair").internal(false).track();
        TrackedTask internalRoot = module.task("repair").internal(true).track();

        assertThat(root.status().internal()).isFalse();
        assertThat(child.status().internal()).isTrue();
        assertThat(visibleChild.status().internal()).isFalse();
        assertThat(internalRoot.status().internal()).isTrue();
    }

    @Test
    void childrenListLiveChildrenFirstThenFoldedOnesInTheOrderTheyFinished() {
        TrackedTask parent = module.task("repair").track();
        parent.start();
        TrackedTask a = parent.child("r").track();
        TrackedTask b = parent.child("r").track();
        TrackedTask c = parent.child("r").track();
        TrackedTask d = parent.child("r").track();
        for (TrackedTask t : new TrackedTask[] {a, b, c, d}) {
            t.start();
        }
        c.complete();
        a.complete();

        assertThat(parent.status().children()).containsExactly(b.id(), d.id(), c.id(), a.id());
    }

    @Test
    void aChildMayLiveOnAnotherShardAndInAnotherModuleByParentId() {
        TrackedTask parent = module.task("repair").shard(0).track();
        TrackedTask child = tm.module("streaming").task("stream").parent(parent.id()).shard(1).track();

        assertThat(child.status().shard()).isEqualTo(1);
        assertThat(child.status().parentId()).isEqualTo(parent.id());
        assertThat(tm.find(child.id())).isPresent();
    }

    @Test
    void anUnknownParentIsRefused() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> module.task("repair").parent(unknown).track())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(unknown.toString());
    }

    @Test
    void anIdAlreadyInUseIsRefused() {
        TrackedTask first = module.task("repair").shard(0).track();

        assertThatThrownBy(() -> module.task("repair").id(first.id()).shard(1).track())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
    }

    @Test
    void aShardOutOfRangeIsRefused() {
        assertThatThrownBy(() -> module.task("repair").shard(2).track())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard 2");
        assertThatThrownBy(() -> module.task("repair").shard(-1).track())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void childrenUseTheirParentsProgressUnits() {
        TrackedTask parent = module.task("repair").progressUnits("ranges").track();
        TrackedTask child = parent.child("repair").track();

        assertThat(child.status().progressUnits()).isEqualTo("ranges");
        assertThatThrownBy(() -> parent.child("repair").progressUnits("bytes").track())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes")
                .hasMessageContaining("ranges");
    }
}
