package io.outboxcdc.system.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outboxcdc.system.SystemUnderTest;
import io.outboxcdc.system.stack.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

// Issue 18: the live page of ./outbox-cdc up, in a real (headless Debian) Chromium against the whole system as
// processes: the page loads, its numbers move while a load runs, killing the relay from the page shows it DOWN and
// starting it shows it UP again, and the invariant line ends "lost 0, double 0" once the pipeline has caught up.
class LivePageIntegrationTests {

    private static final List<String> PARTS = List.of("order-app", "outbox-relay", "billing-consumer", "postgresql",
            "kafka");
    private static final Path SCREENSHOT = Path.of("target", "live-page.png").toAbsolutePath();

    private static ChromeDriver browser;
    private static LocalStack stack;
    private static LivePage page;

    @BeforeAll
    static void start() {
        // The browser first: without chromium the test fails at once, with how to install it.
        browser = HeadlessChromium.start(SystemUnderTest.home("live-page-browser"));
        stack = SystemUnderTest.start("live-page", false);
        page = LivePage.start(stack, 0);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (page != null) {
            page.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void watchOrdersFlowBreakTheRelayFromThePageAndSeeNothingLost() throws IOException {
        try {
            watchBreakAndCheck();
        } catch (AssertionError | RuntimeException e) {
            // What the page said when it went wrong, for the report.
            screenshot(Path.of("target", "live-page-failure.png").toAbsolutePath());
            System.out.println("[live-page] invariant: " + text("invariant") + "\n[live-page] timeline:\n"
                    + text("timeline") + "\n[live-page] report:\n" + text("report"));
            throw e;
        }
        screenshot(SCREENSHOT);
    }

    private void watchBreakAndCheck() {
        browser.get(page.url());
        assertThat(browser.getTitle()).isEqualTo("outbox-cdc live");
        await("every part UP on the page").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String part : PARTS) {
                assertThat(text("h-" + part)).as(part).isEqualTo("UP");
            }
        });

        long ordersBefore = number("c-ordersCommitted");
        long recordsBefore = await().atMost(Duration.ofSeconds(60)).until(() -> numberOrNull("c-topicRecords"),
                n -> n != null);
        long invoicesBefore = number("c-invoicesIssued");
        set("l-orders", "1500");
        set("l-rate", "50");
        browser.findElement(By.id("start-load")).click();
        await("the numbers move while the load runs").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(number("c-ordersCommitted")).isGreaterThan(ordersBefore + 50);
            assertThat(number("c-topicRecords")).isGreaterThan(recordsBefore + 50);
            assertThat(number("c-invoicesIssued")).isGreaterThan(invoicesBefore + 50);
        });

        browser.findElement(By.id("btn-outbox-relay-kill")).click();
        await("the relay DOWN on the page").atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(text("h-outbox-relay")).isEqualTo("DOWN"));
        assertThat(text("timeline")).contains("kill -9 outbox-relay");
        browser.findElement(By.id("btn-outbox-relay-start")).click();
        await("the relay UP again on the page").atMost(Duration.ofSeconds(150))
                .untilAsserted(() -> assertThat(text("h-outbox-relay")).isEqualTo("UP"));
        assertThat(text("timeline")).contains("outbox-relay UP again after");

        await("the load finished").atMost(Duration.ofSeconds(120))
                .until(() -> browser.findElement(By.id("start-load")).isEnabled());
        await("the invariant line, checked over every order").atMost(Duration.ofSeconds(150)).untilAsserted(() -> {
            String invariant = text("invariant");
            assertThat(invariant).endsWith("lost 0, double 0")
                    .contains(" " + number("c-ordersCommitted") + " orders");
        });
        // The page's load added orders, and the check above covered every committed one; verify's own report
        // (with "acknowledged, not committed") passed.
        assertThat(number("c-ordersCommitted")).isGreaterThan(ordersBefore);
        assertThat(text("report")).contains("Verification PASSED");
    }

    private static void screenshot(Path target) throws IOException {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("[live-page] screenshot " + target);
    }

    @Test
    void mistakesAnswerProblemDetailsAndButtonsNeedThePagesHeader() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create(page.url());
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(base.resolve("/nothing-here")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(unknown.body()).contains("\"status\":404");

        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(base.resolve("/api/verify")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");

        // A cross-site form post cannot add a custom header: without it nothing is killed.
        HttpResponse<String> unguarded = http.send(HttpRequest.newBuilder(base.resolve("/api/parts/outbox-relay/kill"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unguarded.statusCode()).isEqualTo(403);
        assertThat(stack.relay().isAlive()).isTrue();

        HttpResponse<String> noSuchPart = http.send(HttpRequest.newBuilder(base.resolve("/api/parts/order-app/kill"))
                .header(LiveServer.GUARD_HEADER, "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noSuchPart.statusCode()).isEqualTo(404);

        HttpResponse<String> badLoad = http.send(HttpRequest.newBuilder(base.resolve("/api/load?orders=many"))
                .header(LiveServer.GUARD_HEADER, "1").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badLoad.statusCode()).isEqualTo(400);
        assertThat(badLoad.body()).contains("orders must be a whole number");
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    private static long number(String id) {
        Long value = numberOrNull(id);
        assertThat(value).as(id + " shows a number (was '" + text(id) + "')").isNotNull();
        return value;
    }

    private static Long numberOrNull(String id) {
        String digits = text(id).replace(",", "");
        return digits.matches("\\d+") ? Long.parseLong(digits) : null;
    }

    private static void set(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }
}
