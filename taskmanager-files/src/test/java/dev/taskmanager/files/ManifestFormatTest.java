package dev.taskmanager.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestFormatTest {
    private static final String A = "a".repeat(64);
    private static final String B = "0123456789abcdef".repeat(4);

    @TempDir
    Path temp;

    @Test
    void formatsOneLinePerFileSortedByPathWithTwoSpaces() {
        Manifest manifest = Manifest.of(Map.of("z.txt", A, "a/b.txt", B.toUpperCase(), "a.txt", A));

        assertThat(manifest.format()).isEqualTo(A + "  a.txt\n" + B + "  a/b.txt\n" + A + "  z.txt\n");
        assertThat(manifest.entries()).containsEntry("a/b.txt", B);
        assertThat(manifest.size()).isEqualTo(3);
    }

    @Test
    void escapesBackslashesNewlinesAndCarriageReturnsLikeSha256sum() {
        Manifest manifest = Manifest.of(Map.of("back\\slash", A, "new\nline", B, "carriage\rreturn", A));

        String text = manifest.format();

        assertThat(text).isEqualTo("\\" + A + "  back\\\\slash\n"
                + "\\" + A + "  carriage\\rreturn\n"
                + "\\" + B + "  new\\nline\n");
        assertThat(Manifest.parse(text)).isEqualTo(manifest);
    }

    @Test
    void readsTheBinaryMarkerUppercaseDigitsCrlfLineEndsAndBlankLines() {
        Manifest manifest = Manifest.parse(A.toUpperCase() + " *bin.dat\r\n\n" + B + "  text.txt\n\n");

        assertThat(manifest.entries()).containsExactly(Map.entry("bin.dat", A), Map.entry("text.txt", B));
    }

    @Test
    void rejectsMalformedLinesNamingTheLineNumber() {
        assertThatThrownBy(() -> Manifest.parse(A + "  ok\nnot a manifest line\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 2 is not '<64 hex digits>  <path>' (nor '<64 hex digits> *<path>')");
        assertThatThrownBy(() -> Manifest.parse(A.substring(1) + "  short\n")).hasMessageStartingWith("line 1 is not");
        assertThatThrownBy(() -> Manifest.parse(A + "\tpath\n")).hasMessageStartingWith("line 1 is not");
        assertThatThrownBy(() -> Manifest.parse("\\" + A + "  bad\\escape\n"))
                .hasMessage("line 1: bad escape in the path; only \\\\, \\n and \\r are allowed");
    }

    @Test
    void rejectsPathsThatLeaveTheDirectoryWithoutQuotingThem() {
        Map<String, String> problems = Map.of(
                "../up", "has a '..' component; manifest paths must stay inside the directory",
                "a/../../up", "has a '..' component; manifest paths must stay inside the directory",
                "/etc/passwd", "is absolute; manifest paths are relative to the directory",
                "a/", "ends with '/', so it names a directory, not a file",
                "./.", "names the directory itself, not a file");
        problems.forEach((path, problem) -> {
            assertThatThrownBy(() -> Manifest.parse(A + "  " + path + "\n"))
                    .as(path).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("line 1: the path " + problem);
            assertThatThrownBy(() -> Manifest.of(Map.of(path, A))).as(path)
                    .hasMessage("path '" + path + "': the path " + problem);
        });
    }

    @Test
    void errorsNeverQuoteTheManifestsContent() {
        String secret = "root:x:0:0:root:/root:/bin/bash";

        assertThatThrownBy(() -> Manifest.parse(secret + "\n")).hasMessageNotContaining("root:");
        assertThatThrownBy(() -> Manifest.parse(A + "  ../" + secret + "\n")).hasMessageNotContaining("root:");
        assertThatThrownBy(() -> Manifest.parse("x".repeat(Manifest.MAX_LINE + 1) + "\n"))
                .hasMessage("line 1 is longer than " + Manifest.MAX_LINE + " characters");
    }

    @Test
    void readsPathsAsSha256sumOpensThemWithDotAndEmptyComponentsDropped() {
        Manifest manifest = Manifest.parse(A + "  ./here\n" + B + "  ./a//b/./c\n" + A + "  x/.\n");

        assertThat(manifest.entries()).containsExactly(Map.entry("a/b/c", B), Map.entry("here", A),
                Map.entry("x", A));
        assertThat(Manifest.of(Map.of("./here", A)).entries()).containsOnlyKeys("here");
    }

    @Test
    void aFileListedTwiceWithTheSameDigestIsReadOnceAsConcatenatedManifestsHaveIt() {
        Manifest manifest = Manifest.parse(A + "  same\n" + B + "  other\n" + A + "  ./same\n" + A + "  same\n");

        assertThat(manifest.entries()).containsExactly(Map.entry("other", B), Map.entry("same", A));
    }

    @Test
    void readNamesTheFileInItsErrors() throws Exception {
        Path file = Files.writeString(temp.resolve("bad.sha256"), "garbage\n");

        assertThatThrownBy(() -> Manifest.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("manifest " + file + ": line 1 is not");
    }

    @Test
    void writeReplacesTheFileAtomicallyAndReplacesASymbolicLinkRatherThanFollowingIt() throws Exception {
        Path target = Files.writeString(temp.resolve("target.txt"), "keep me");
        Path link = Files.createSymbolicLink(temp.resolve("out.sha256"), target);
        Manifest manifest = Manifest.of(Map.of("f", A));

        manifest.write(link);

        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readString(link)).isEqualTo(A + "  f\n");
        assertThat(Files.readString(target)).isEqualTo("keep me");
        assertThat(Manifest.read(link)).isEqualTo(manifest);
        try (var entries = Files.list(temp)) {
            assertThat(entries).extracting(path -> path.getFileName().toString())
                    .containsExactlyInAnyOrder("target.txt", "out.sha256");
        }
    }
}
