package io.outboxcdc.system.live;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium and chromedriver, headless, offline: nothing is downloaded (no Selenium Manager, no browser
 * build of its own). Missing binaries fail the test with how to install them; they never skip it.
 */
final class HeadlessChromium {

    private static final String BROWSER = System.getProperty("live.chromium", "/usr/bin/chromium");
    private static final String DRIVER = System.getProperty("live.chromedriver", "/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    static ChromeDriver start(Path profileParent) {
        for (String binary : new String[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException(binary + " is missing: this browser test needs Debian's chromium and"
                        + " chromium-driver. Install them with: apt-get install -y chromium chromium-driver"
                        + " (.ci/run does), or point -Dlive.chromium= and -Dlive.chromedriver= at another build.");
            }
        }
        Path profile;
        try {
            Files.createDirectories(profileParent);
            profile = Files.createTempDirectory(profileParent, "chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        // As root and without network: no sandbox, no GPU, and nothing that phones home.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1400,1300");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
