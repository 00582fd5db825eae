package dev.taskmanager.store;

import java.time.Instant;

/**
 * A node of a fleet as the store has it ({@link Fleet#nodes()}).
 *
 * @param name         its {@code --node-name}
 * @param address      its {@code --advertise-address}, or {@code null} if it never advertised one
 * @param epoch        its registration: one more at each start, and after it was declared lost
 * @param renewed      when it last renewed its lease (the database's clock), or {@code null}
 * @param leaseExpires when its lease runs out unless renewed, or {@code null}
 * @param live         whether its lease runs now
 * @param stopped      whether it stopped cleanly (it released its lease)
 * @param lostAt       when a survivor took its unfinished tasks over, or {@code null}
 * @param lostBy       which node did, or {@code null}
 * @param lostTasks    how many unfinished tasks that survivor recorded as failed
 */
public record FleetNode(String name, String address, long epoch, Instant renewed, Instant leaseExpires,
                        boolean live, boolean stopped, Instant lostAt, String lostBy, int lostTasks) {
}
