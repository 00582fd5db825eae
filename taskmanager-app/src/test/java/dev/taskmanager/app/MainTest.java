package dev.taskmanager.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link Main#run} does with each command line, short of starting anything. */
class MainTest {

    @TempDir
    Path temp;

    @Test
    void helpListsEveryCommand() {
        Run run = Run.main("--help");

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).contains("demo [--keep-serving] [--api-port N] [--path DIR]", "serve [--allow-path DIR]",
                "tasks <subcommand>", "files manifest <dir> [--output FILE]", "files verify <dir> --manifest FILE");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void versionPrintsTheJarsVersionLikeTheCommandsDo() {
        Run run = Run.main("--version");

        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out()).matches("taskmanager \\S+\n").isEqualTo(Run.main("tasks", "--version").out());
    }

    @Test
    void anUnknownCommandIsAnUnrecognizedOperation() {
        Run run = Run.main("frobnicate");

        assertThat(run.code()).isEqualTo(100);
        assertThat(run.err()).contains("unrecognized operation argument", "'frobnicate'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void noCommandIsAnUnrecognizedOperationToo() {
        Run run = Run.main();

        assertThat(run.code()).isEqualTo(100);
        assertThat(run.err()).contains("unrecognized operation argument", "got nothing");
    }

    @Test
    void tasksIsDelegatedToTheCli() {
        Run noSubcommand = Run.main("tasks");
        assertThat(noSubcommand.code()).isEqualTo(100);
        assertThat(noSubcommand.err()).contains("unrecognized operation argument", "modules");

        Run help = Run.main("tasks", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("usage: taskmanager tasks <subcommand>");

        Run missingId = Run.main("tasks", "status");
        assertThat(missingId.code()).isEqualTo(1);
        assertThat(missingId.err()).contains("required parameter is missing: id");
    }

    @Test
    void filesIsDelegatedToTheCli() throws IOException {
        Run noSubcommand = Run.main("files");
        assertThat(noSubcommand.code()).isEqualTo(100);
        assertThat(noSubcommand.err()).isEqualTo("error: unrecognized operation argument: expected one of "
                + "(manifest, verify), got nothing\n");

        Run help = Run.main("files", "manifest", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("files manifest <dir> [--output <file>]", "files verify <dir> --manifest <file>");

        Run noPath = Run.main("files", "manifest");
        assertThat(noPath.code()).isEqualTo(1);
        assertThat(noPath.err()).isEqualTo("error processing arguments: required parameter is missing: path\n");

        Run badOption = Run.main("files", "manifest", "/srv", "--bogus");
        assertThat(badOption.code()).isEqualTo(2);
        assertThat(badOption.err()).isEqualTo("error: unrecognised option '--bogus'\n");

        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Run noServer = Run.main("files", "manifest", temp.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port));
        assertThat(noServer.code()).isEqualTo(4);
        assertThat(noServer.err()).startsWith("error: cannot connect to 127.0.0.1:" + port + ": ");
        assertThat(noServer.out()).isEmpty();
    }

    @Test
    void serveHelpAddsAllowPathToTheServersFlags() {
        Run run = Run.main("serve", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("--allow-path DIR", "--api-port PORT", "--enable-test-api", "--help",
                "--data-dir DIR", "(default: $XDG_STATE_HOME/taskmanager, else", "~/.local/state/taskmanager)",
                "POST /files/manifest?path=DIR[&output=FILE][&overwrite=true]",
                "<data dir>/files/<task id>.sha256", "POST /files/verify?path=DIR&manifest=FILE[&skip_unreadable=true]");
        assertThat(run.out().indexOf("--allow-path")).isLessThan(run.out().indexOf("  --help"));
    }

    @Test
    void serveRefusesBadFlagsBeforeStartingAnything() {
        Run missing = Run.main("serve", "--allow-path", temp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("invalid value '" + temp.resolve("nope") + "' for option '--allow-path': "
                + "not an existing directory");

        Run noValue = Run.main("serve", "--allow-path");
        assertThat(noValue.code()).isEqualTo(2);
        assertThat(noValue.err()).isEqualTo("error: option '--allow-path' needs a value (see taskmanager serve --help)\n");

        Run serverFlag = Run.main("serve", "--allow-path=" + temp, "--api-port", "banana");
        assertThat(serverFlag.code()).isEqualTo(2);
        assertThat(serverFlag.err()).contains("--api-port", "banana");

        Run unknown = Run.main("serve", "--frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown option '--frobnicate'");
    }

    @Test
    void allowPathsAreTakenOffTheServersCommandLine() {
        Serve.Arguments arguments = Serve.Arguments.parse("--api-port", "0", "--allow-path", temp.toString(),
                "--allow-path=" + temp.resolve("."), "--enable-test-api");

        assertThat(arguments.allowedRoots).containsExactly(temp, temp);
        assertThat(arguments.serverArgs).containsExactly("--api-port", "0", "--enable-test-api");
        assertThat(arguments.dataDirectory).isEqualTo(dev.taskmanager.files.PrivateDirectory.defaultDataDirectory());
    }

    @Test
    void theDataDirectoryIsTakenOffTheServersCommandLineOnceAndRelativeToTheWorkingDirectory() {
        assertThat(Serve.Arguments.parse("--data-dir", "state", "--api-port", "0").dataDirectory)
                .isEqualTo(Path.of("state").toAbsolutePath());
        assertThat(Serve.Arguments.parse("--data-dir=" + temp).serverArgs).isEmpty();
        assertThat(Serve.Arguments.parse("--data-dir=" + temp).dataDirectory).isEqualTo(temp);

        Run twice = Run.main("serve", "--data-dir", temp.toString(), "--data-dir=" + temp);
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).isEqualTo("error: option '--data-dir' is given more than once "
                + "(see taskmanager serve --help)\n");
        Run empty = Run.main("serve", "--data-dir=");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).startsWith("error: invalid value '' for option '--data-dir': ");
    }

    @Test
    void demoRefusesBadOptions() {
        Run unknown = Run.main("demo", "--fast");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("error: unrecognised option '--fast' (see taskmanager demo --help)\n");

        Run badPort = Run.main("demo", "--api-port", "99999");
        assertThat(badPort.code()).isEqualTo(2);
        assertThat(badPort.err()).contains("invalid value '99999' for option '--api-port'");

        Run badPath = Run.main("demo", "--path", temp.resolve("nope").toString());
        assertThat(badPath.code()).isEqualTo(2);
        assertThat(badPath.err()).contains("for option '--path': not an existing directory");

        Run help = Run.main("demo", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--keep-serving", "--api-port N", "--path DIR");
    }
}
