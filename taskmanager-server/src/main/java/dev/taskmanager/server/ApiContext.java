package dev.taskmanager.server;

import dev.taskmanager.TaskManager;

/**
 * What the routes share: the task manager they serve and the address reported as {@code node} in
 * {@code children_ids}.
 *
 * @param taskManager the task manager
 * @param nodeAddress this node's address as clients should see it
 */
record ApiContext(TaskManager taskManager, String nodeAddress) {
}
