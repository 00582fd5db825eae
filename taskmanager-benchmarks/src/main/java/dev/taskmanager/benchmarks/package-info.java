/**
 * JMH benchmarks of the core (W1–W5 and their floors, query pages) and of the server. Never part of
 * the test run.
 * Build with {@code ./mvnw -q -pl taskmanager-benchmarks -am package -DskipTests}, then run
 * {@code java -jar taskmanager-benchmarks/target/benchmarks.jar [regex]}.
 */
package dev.taskmanager.benchmarks;
