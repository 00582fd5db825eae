package dev.taskmanager.app;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for the dashboard's browser tests: Debian's {@code chromium} driven by its
 * {@code chromedriver} through Selenium, with a fresh profile, nothing fetched from the network (no
 * Selenium Manager, no component updates), the browser console collected, and screenshots saved
 * under {@value #SCREENSHOTS}. One per test class: starting Chromium costs about a second.
 *
 * <p>The binaries are {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}, or the paths in
 * the {@code CHROMIUM} and {@code CHROMEDRIVER} environment variables; {@code .ci/run} installs
 * Debian's packages when they are missing.
 */
final class Browser implements AutoCloseable {
    static final String SCREENSHOTS = "target/ui-screenshots";
    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(375, 812);
    /** How long a test waits for the page to show something; the page's own timers are far shorter. */
    static final Duration PATIENCE = Duration.ofSeconds(15);

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start() throws IOException {
        Path chromium = binary("CHROMIUM", "/usr/bin/chromium");
        Path chromedriver = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
        Path profile = Files.createTempDirectory("taskmanager-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver.toString()))
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    private static Path binary(String variable, String fallback) {
        String configured = System.getenv(variable);
        Path path = Path.of(configured != null && !configured.isBlank() ? configured : fallback);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is missing: the dashboard's browser tests need Debian's chromium "
                    + "and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run does it), or set "
                    + variable);
        }
        return path;
    }

    void open(String url) {
        driver.get(url);
    }

    /**
     * Waits for {@code condition} to hold (be non-null and not false), polling every 50 ms. When it does
     * not, saves a screenshot named after {@code what} and adds the page's text and console to the
     * failure.
     */
    <T> T await(String what, Function<WebDriver, T> condition) {
        try {
            // the page re-renders what changes: an element found a moment ago may have been replaced
            return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(50)).withMessage(what)
                    .ignoring(StaleElementReferenceException.class).until(condition);
        } catch (TimeoutException e) {
            Path shot = screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            String page = driver.findElement(By.tagName("body")).getText();
            String console = driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString)
                    .collect(Collectors.joining("\n"));
            throw new AssertionError("timed out waiting for " + what + " (screenshot " + shot + ")\npage:\n" + page
                    + "\nconsole:\n" + console, e);
        }
    }

    /** Waits for an element to be there and shown. */
    WebElement awaitVisible(By locator) {
        return await("visible: " + locator, d -> {
            List<WebElement> found = d.findElements(locator);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Saves a screenshot as {@code target/ui-screenshots/<name>.png}. */
    Path screenshot(String name) {
        try {
            Path directory = Files.createDirectories(Path.of(SCREENSHOTS));
            Path file = directory.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The console's errors since the last call (a CSP violation, an uncaught exception, a failed load). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> paths = Files.walk(profile)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary directory: left for the system to clean
            }
        }
    }
}
