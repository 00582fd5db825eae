package dev.taskmanager.server;

import dev.taskmanager.TaskManager;

/**
 * What the routes share: the task manager they serve, the address reported as {@code node} in
 * {@code children_ids}, and the permits that bound large answers.
 *
 * @param taskManager the task manager
 * @param nodeAddress this node's address as clients should see it
 * @param renders     the permits of large answers (listings, recursive statuses)
 */
record ApiContext(TaskManager taskManager, String nodeAddress, RenderPermits renders) {
}
