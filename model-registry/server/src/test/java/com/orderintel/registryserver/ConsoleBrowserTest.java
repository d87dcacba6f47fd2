package com.orderintel.registryserver;

import com.orderintel.registry.ModelStore;
import com.orderintel.registry.ModelStores;
import com.orderintel.testkit.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser: Debian's headless Chromium driven by Selenium through Debian's chromedriver (no
 * browser download). Two users: ann requests a promotion of order-anomaly to production, bob approves it, and the move
 * shows in the timeline. Each page is saved as a screenshot in target/console-screenshots (and in the directory the
 * system property {@code console.screenshots} names, e.g. docs/images).
 */
class ConsoleBrowserTest extends ServerTestBase {

    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void findCompareRequestApproveAndSeeTheMove() throws Exception {
        signIn(ConsoleFixture.ANN);
        browser.get(base() + "/console");
        List<WebElement> cards = browser.findElements(By.cssSelector(".model-card"));
        assertThat(cards).extracting(c -> c.getDomAttribute("data-model")).containsExactly("demand-forecast", "order-anomaly");
        try (ModelStore store = ModelStores.open(fixture().registry)) {
            for (WebElement card : cards) {
                String model = card.getDomAttribute("data-model");
                String production = store.resolveAlias(model, "production").orElseThrow();
                assertThat(card.findElement(By.cssSelector("a.alias-target[data-alias=production]")).getDomAttribute("title"))
                        .as("production version of %s", model).isEqualTo(production);
            }
        }
        shoot("registry-console-models");

        browser.findElement(By.linkText("order-anomaly")).click();
        assertThat(browser.findElement(By.cssSelector("#aliases tr[data-alias=production] .alias-version")).getText()).isEqualTo("v1");
        shoot("registry-console-model");

        browser.findElement(By.cssSelector("#versions tr[data-version=v1] a")).click();
        assertThat(browser.findElement(By.id("metrics")).getText()).contains("precision", "0.91");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("Live evidence", "agreement");
        assertThat(browser.findElements(By.cssSelector("iframe.report"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSizeGreaterThanOrEqualTo(3);
        shoot("registry-console-version");

        browser.get(base() + "/console/models/order-anomaly");
        browser.findElement(By.id("compare-submit")).click(); // A = v1, B = v2 (the newest) by default
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/compare?"));
        assertThat(browser.getCurrentUrl()).contains("a=v1", "b=v2");
        assertThat(browser.findElement(By.id("compare-metrics")).getText()).contains("precision", "0.91", "0.95", "+0.04");
        assertThat(browser.findElements(By.cssSelector("#compare-histograms polygon"))).hasSize(6); // 3 features x 2 versions
        shoot("registry-console-compare");

        // ann requests production -> v2 (a direct promote would be refused: production is guarded)
        browser.get(base() + "/console/models/order-anomaly");
        new Select(browser.findElement(By.id("request-version"))).selectByValue("v2");
        browser.findElement(By.id("request-reason")).sendKeys("v2 agrees with v1 on shadow and has higher precision");
        browser.findElement(By.id("request-submit")).click();
        assertThat(browser.findElement(By.cssSelector(".flash.done")).getText()).contains("requested order-anomaly@production -> v2");
        WebElement request = browser.findElement(By.cssSelector("#requests tr[data-request]"));
        String id = request.getDomAttribute("data-request");
        // ann cannot approve her own request
        request.findElement(By.cssSelector("button.approve")).click();
        assertThat(browser.findElement(By.cssSelector(".flash.refused")).getText()).contains("cannot approve it: a second person must");
        shoot("registry-console-request");

        signIn(ConsoleFixture.BOB);
        browser.get(base() + "/console/models/order-anomaly");
        WebElement pending = browser.findElement(By.cssSelector("#requests tr[data-request='" + id + "']"));
        pending.findElement(By.name("reason")).sendKeys("shadow evidence checked");
        pending.findElement(By.cssSelector("button.approve")).click();
        assertThat(browser.findElement(By.cssSelector(".flash.done")).getText())
                .contains("approved request " + id, "order-anomaly@production: v1 -> v2");
        assertThat(browser.findElement(By.cssSelector("#aliases tr[data-alias=production] .alias-version")).getText()).isEqualTo("v2");

        browser.findElement(By.linkText("alias timeline")).click();
        List<WebElement> rows = browser.findElements(By.cssSelector("#timeline tr[data-action]"));
        assertThat(rows.get(0).getText()).contains("promote", "v1", "v2", "bob", "approved request " + id + " by ann");
        assertThat(rows.get(1).getText()).contains("approve", "bob", "shadow evidence checked");
        assertThat(rows.get(2).getText()).contains("request", "ann", "higher precision");
        assertThat(browser.findElements(By.cssSelector("svg.timeline rect"))).hasSizeGreaterThanOrEqualTo(3);
        shoot("registry-console-timeline");

        browser.findElement(By.linkText("Datasets")).click();
        WebElement snapshot = browser.findElement(By.cssSelector(".snapshot[data-snapshot='20261201T080000Z']"));
        assertThat(snapshot.getText()).contains("order-anomaly v1", "order-anomaly v2", "served by", "production");
        shoot("registry-console-datasets");
    }

    private void signIn(String user) {
        assertThat(chromium.signIn(base(), user, ConsoleFixture.PASSWORD).getText()).contains("signed in as " + user);
    }

    /** Saves the whole page at the laptop width (Chrome's own full-page capture, beyond the 900 px window). */
    @SuppressWarnings("unchecked")
    private void shoot(String name) throws Exception {
        Map<String, Object> metrics = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double height = Math.min(6000, ((Number) size.get("height")).doubleValue());
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", 1366, "height", height, "scale", 1)));
        byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
        Path dir = Files.createDirectories(Path.of("target/console-screenshots"));
        Files.write(dir.resolve(name + ".png"), png);
        String docs = System.getProperty("console.screenshots");
        if (docs != null && !docs.isBlank()) {
            Files.write(Files.createDirectories(Path.of(docs)).resolve(name + ".png"), png);
        }
    }
}
