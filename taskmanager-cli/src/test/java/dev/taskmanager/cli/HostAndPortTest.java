package dev.taskmanager.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §14.1: {@code -h/--host} and {@code -p/--port} are accepted anywhere on the line. */
class HostAndPortTest {

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    static Stream<String> placements() {
        return Stream.of(
                "tasks list repair -h 127.0.0.1 -p PORT",
                "tasks -h 127.0.0.1 -p PORT list repair",
                "tasks list -p PORT repair -h 127.0.0.1",
                "-p PORT -h 127.0.0.1 tasks list repair",
                "tasks --host 127.0.0.1 list --port PORT repair",
                "tasks list repair --host=127.0.0.1 --port=PORT",
                "tasks list repair -h127.0.0.1 -pPORT",
                "tasks -p PORT list -h 127.0.0.1 repair --internal");
    }

    @ParameterizedTest
    @MethodSource("placements")
    void hostAndPortWorkBeforeAndAfterTheSubcommand(String commandLine) {
        server.get("/task_manager/list_module_tasks/repair", "[]");
        String[] args = commandLine.replace("PORT", Integer.toString(server.port())).split(" ");

        Cli.Result result = Cli.run(args);

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(server.requests()).singleElement()
                .satisfies(r -> assertThat(r.path()).isEqualTo("/task_manager/list_module_tasks/repair"));
    }

    @Test
    void theHostDefaultsToLocalhost() {
        server.get("/task_manager/list_modules", "[\"m\"]");
        Cli.Result result = Cli.run("tasks", "modules", "-p", Integer.toString(server.port()));
        assertThat(result.out()).isEqualTo("m\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void defaultsAreLocalhostAndPort10000() {
        Invocation invocation = ArgumentParser.parse("tasks", "modules");
        assertThat(invocation.host()).isEqualTo("localhost");
        assertThat(invocation.port()).isEqualTo(10000);
    }

    @Test
    void anIpv6HostIsBracketedInTheUrl() {
        assertThat(RestClient.uriHost("::1")).isEqualTo("[::1]");
        assertThat(RestClient.uriHost("[::1]")).isEqualTo("[::1]");
        assertThat(ArgumentParser.parse("tasks", "modules", "-h", "::1").host()).isEqualTo("::1");
    }

    @Test
    void theSubcommandOptionsMayAlsoPrecedeTheSubcommand() {
        server.get("/task_manager/wait_task/t1", "{\"state\": \"failed\"}");
        List<String> args = new ArrayList<>(List.of("tasks", "-q", "wait", "t1"));
        args.addAll(List.of(server.address()));
        assertThat(Cli.run(args.toArray(String[]::new)).exitCode()).isEqualTo(123);
    }
}
