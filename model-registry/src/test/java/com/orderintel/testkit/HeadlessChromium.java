package com.orderintel.testkit;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver (no browser download), on a throwaway
 * profile, at a laptop's window size; for the registry console's browser tests (the server's and the end-to-end
 * ones). Callers skip when {@link #available()} is false.
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final String MISSING = "needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs them)";

    private final Path profile;
    private final ChromeDriver driver;

    private HeadlessChromium(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    public static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    public static HeadlessChromium start() throws IOException {
        Path profile = Files.createTempDirectory("console-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1366,900", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        // a click that submits a form may return before the next page loads: every lookup after one names an element
        // only the next page has, and waits for it up to this long
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(15));
        return new HeadlessChromium(profile, driver);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * Signs in through the console's login form as a fresh session; returns the console's header once the login's
     * redirect has loaded (the login page has none).
     */
    public WebElement signIn(String baseUrl, String user, String password) {
        driver.manage().deleteAllCookies();
        driver.get(baseUrl + "/login");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .withMessage(() -> "no console after signing in as " + user + ": at " + driver.getCurrentUrl())
                .until(ExpectedConditions.presenceOfElementLocated(By.tagName("header")));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
