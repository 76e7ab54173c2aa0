package io.skiplinobridge.ops;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian {@code chromium} and {@code chromium-driver}, which
 * {@code .ci/run} installs): sign in with the token, watch a rejected customer's failure appear, retry
 * it once the sandbox accepts the customer and watch it disappear, look the customer up, pause a flow.
 * Full-page screenshots of the dashboard are saved as {@code target/ops-dashboard.png} (1280 wide; it
 * is used at 1280×800) and {@code target/ops-dashboard-narrow.png} (a phone's 390). Skipped, saying why, where Chromium is not installed.
 */
class OpsDashboardBrowserTest extends OpsSpringTestBase {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration UI_WAIT = Duration.ofSeconds(30);

    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void openBrowser() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver";
        // a newcomer's machine may lack them (the test is then skipped); CI installs them and sets this
        // variable, so there a missing browser fails the build instead of skipping its only browser test
        if (Boolean.parseBoolean(System.getenv("BRIDGE_TEST_REQUIRE_BROWSER"))) {
            assertThat(installed).as(missing).isTrue();
        }
        assumeTrue(installed, missing);
        profile = Files.createTempDirectory("ops-dashboard-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void anOperatorSeesAParkedFailureRetriesItAndSeesItGo() throws IOException {
        http.reject("browser-1", "email", "This address is blocked by Skiplino.");
        http.reject("browser-2", "mobile", "The mobile must be a valid phone number.");
        List<Map<String, Object>> calm = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calm.add(upsert("br-e" + i, "branch-customer-" + i, "Customer " + i, "c" + i + "@example.com", null));
        }
        crm.post(batch(calm));

        browser.get("http://127.0.0.1:" + port + "/ops/");
        WebElement token = browser.findElement(By.id("token"));
        assertThat(browser.findElement(By.cssSelector("label[for=token]")).getText()).isEqualTo("Ops token");
        token.sendKeys(OPS_TOKEN);
        browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        waitUntil(ExpectedConditions.visibilityOfElementLocated(By.id("dashboard")));

        crm.post(batch(List.of(upsert("br-f1", "browser-1", "Layla Hassan", "layla@example.com", null),
                upsert("br-f2", "browser-2", "Omar Ali", "omar@example.com", null))));
        By failureRow = By.cssSelector("#failures-table tbody tr[data-external-id='browser-1']");
        WebElement row = waitUntil(ExpectedConditions.visibilityOfElementLocated(failureRow));
        assertThat(row.getText()).contains("CREATE", "422", "This address is blocked by Skiplino.");

        http.stopRejecting("browser-1");
        row.findElement(By.cssSelector("button.retry")).click();

        waitUntil(ExpectedConditions.invisibilityOfElementLocated(failureRow));
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("failures-message"), "pending again"));
        await().atMost(UI_WAIT).until(() -> http.sandboxCustomers().toString().contains("\"browser-1\""));
        assertThat(browser.findElements(By.cssSelector("#failures-table tbody tr[data-external-id='browser-2']"))).hasSize(1);

        browser.findElement(By.id("lookup-id")).sendKeys("browser-1");
        browser.findElement(By.cssSelector("#lookup-form button[type=submit]")).click();
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.id("lookup-result"), "Recent attempts"));
        waitUntil(d -> {
            browser.findElement(By.cssSelector("#lookup-form button[type=submit]")).click();
            return d.findElement(By.id("lookup-result")).getText().contains("CREATED");
        });

        browser.findElement(By.cssSelector("#flows-table tr[data-flow='deletes'] button")).click();
        browser.findElement(By.id("pause-reason")).sendKeys("Checking a CRM clean-up with the branch team");
        browser.findElement(By.cssSelector("#pause-form button[type=submit]")).click();
        waitUntil(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#flows-table tr[data-flow='deletes']"), "Paused"));
        assertThat(flags.find("deletes.paused").orElseThrow().reason()).isEqualTo("Checking a CRM clean-up with the branch team");

        waitUntil(d -> chartPoints() >= 4);
        save("ops-dashboard.png", 1280);
        browser.manage().window().setSize(new Dimension(390, 844));
        waitUntil(d -> chartPoints() >= 5);
        save("ops-dashboard-narrow.png", 390);
    }

    private <T> T waitUntil(Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, UI_WAIT).until(condition::apply);
    }

    /** How many samples the backlog line of the chart has drawn. */
    private int chartPoints() {
        List<WebElement> lines = browser.findElements(By.cssSelector("#chart polyline.backlog"));
        return lines.isEmpty() ? 0 : lines.get(0).getAttribute("points").trim().split("\\s+").length;
    }

    /** The whole page at this width: the window is made as tall as the page first. */
    private void save(String name, int width) throws IOException {
        long height = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(width, (int) height + 160));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
