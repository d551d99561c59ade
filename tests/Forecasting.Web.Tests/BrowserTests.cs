using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;
using Grpc.Core;
using Grpc.Net.Client;
using MiniExcelLibs;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Forecasting.Web.Tests;

/// <summary>
/// The server as its own process, with the gRPC port and the web port, driven by Debian's headless Chromium through
/// chromedriver. Screenshots and the printed report are saved under the test output's screenshots folder.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    private ServerProcess? _server;

    public string WebAddress { get; private set; } = "";
    public string GrpcAddress { get; private set; } = "";
    public string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
    private string _directory = "";

    /// <summary>Why the browser tests cannot run here, or null when Chromium and chromedriver are installed.</summary>
    public static string? MissingBrowser() => File.Exists(Chromium) && File.Exists(ChromeDriver) ? null :
        $"the browser tests need Debian's chromium and chromium-driver ({Chromium}, {ChromeDriver}; apt-get install chromium chromium-driver)";

    /// <summary>
    /// Skips the calling test on a developer's machine without Chromium; under CI (the CI variable set, as .ci/run sets
    /// it) a missing browser fails, so a broken CI image cannot pass by skipping.
    /// </summary>
    public static void RequireBrowser()
    {
        var missing = MissingBrowser();
        if (missing is null) return;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Assert.Fail(missing + "; CI is set, so they must run");
        Skip.If(true, missing + "; skipped (set CI=1 to make this a failure)");
    }

    public async Task InitializeAsync()
    {
        if (MissingBrowser() is not null) return; // each test skips or fails with the reason
        _directory = RepoPaths.TempDirectory();
        _server = await ServerProcess.StartWithNamedEndpointsAsync(Path.Combine(_directory, "browser.duckdb"));
        GrpcAddress = _server.Address;
        WebAddress = _server.HttpAddress!;
        // HTTP/1.1 on the web port, as a browser speaks.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var response = await http.GetAsync(WebAddress + "/signin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    public ChromeDriver Browser(int width = 1280, int height = 1000)
    {
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", $"--window-size={width},{height}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
    }

    public GrpcChannel Channel() => GrpcChannel.ForAddress(GrpcAddress);

    public string Save(ChromeDriver driver, string name)
    {
        var path = Path.Combine(Screenshots, name + ".png");
        driver.GetScreenshot().SaveAsFile(path);
        Console.WriteLine($"screenshot: {path}");
        return path;
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        try { if (_directory.Length > 0) Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }

}

[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>;

[Collection("browser")]
[Trait("Category", "browser")]
public sealed class BrowserTests(BrowserFixture fixture)
{
    private static void SignIn(ChromeDriver driver, string address, string key)
    {
        driver.Navigate().GoToUrl(address + "/");
        Assert.Contains("/signin", driver.Url);
        driver.FindElement(By.Id("key")).SendKeys(key);
        driver.FindElement(By.CssSelector("form.stack button[type=submit]")).Click();
        new WebDriverWait(driver, TimeSpan.FromSeconds(60)).Until(d => d.FindElements(By.Id("contacts")).Count > 0);
    }

    private static double Value(IWebDriver driver, string css) =>
        double.Parse(driver.FindElement(By.CssSelector(css)).GetAttribute("data-value")!, CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task A_commissioner_signs_in_reads_the_overview_and_shortfall_the_API_gives_and_prints_the_report_on_A4()
    {
        BrowserFixture.RequireBrowser();
        using var driver = fixture.Browser();
        SignIn(driver, fixture.WebAddress, WebFactory.Commissioner);
        Assert.Contains("Harbridge", driver.FindElement(By.CssSelector(".data-line")).Text);

        using var channel = fixture.Channel();
        var key = WebFactory.Key(WebFactory.Commissioner);
        var yearEnd = await new ForecastService.ForecastServiceClient(channel).EstimateYearEndAsync(
            new YearEndRequest { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = WebFactory.Council } }, key);
        Assert.Equal(yearEnd.YearToDate, Value(driver, "#contacts .big"));
        var units = await new AnalyticsService.AnalyticsServiceClient(channel).GetStockSnapshotAsync(
            new StockRequest { Measure = "units", CouncilCode = WebFactory.Council }, key);
        Assert.Equal(units.Rows.Single().Measures["units"], Value(driver, "#units .big"));
        fixture.Save(driver, "overview");

        driver.Navigate().GoToUrl(fixture.WebAddress + "/shortfall");
        new WebDriverWait(driver, TimeSpan.FromSeconds(120)).Until(d => d.FindElements(By.Id("table-shortfall")).Count > 0);
        var resultId = driver.FindElement(By.Id("result-id")).Text;
        var result = await new PlanningService.PlanningServiceClient(channel).GetScenarioResultAsync(new GetScenarioResultRequest { ResultId = resultId }, key);
        var last = result.Years.Where(y => y.ClientGroup == "all").MaxBy(y => y.Fy)!;
        var row = driver.FindElements(By.CssSelector("#table-shortfall tbody tr"))
            .Single(r => r.Text.StartsWith(last.FyLabel + " All client groups", StringComparison.Ordinal));
        Assert.Contains(Math.Round(last.ShortfallCumulative).ToString("N0", CultureInfo.InvariantCulture), row.Text);
        Assert.NotNull(driver.FindElement(By.CssSelector("#shortfall-chart-title, svg.chart")));
        fixture.Save(driver, "shortfall");

        driver.Navigate().GoToUrl(fixture.WebAddress + "/forecasts");
        new WebDriverWait(driver, TimeSpan.FromSeconds(180)).Until(d => d.FindElements(By.CssSelector("svg.chart")).Count > 0);
        Assert.Contains("2025/26", driver.FindElement(By.CssSelector("svg.chart")).Text);
        fixture.Save(driver, "forecasts");

        driver.Navigate().GoToUrl(fixture.WebAddress + "/report");
        new WebDriverWait(driver, TimeSpan.FromSeconds(60)).Until(d => d.FindElements(By.Id("report-chart-title")).Count > 0);
        Assert.Contains(result.StrategyId, driver.FindElement(By.Id("report-strategy")).Text);
        fixture.Save(driver, "report");

        // The style sheet asks for A4, and the print view hides the navigation.
        var pageRule = (string)driver.ExecuteScript(
            "for (const s of document.styleSheets) for (const r of s.cssRules) if (r instanceof CSSPageRule) return r.style.getPropertyValue('size'); return '';")!;
        Assert.Equal("a4", pageRule.ToLowerInvariant());
        driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?> { ["media"] = "print" });
        Assert.False(driver.FindElement(By.CssSelector("header.site")).Displayed);
        fixture.Save(driver, "report-print-media");
        driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?> { ["media"] = "" });

        var pdf = driver.Print(new PrintOptions { PageDimensions = new PrintOptions.PageSize { Width = 21.0, Height = 29.7 } });
        var pdfPath = Path.Combine(fixture.Screenshots, "report.pdf");
        pdf.SaveAsFile(pdfPath);
        Console.WriteLine($"report pdf: {pdfPath}");
        var text = Encoding.Latin1.GetString(Convert.FromBase64String(pdf.AsBase64EncodedString));
        var pages = Regex.Matches(text, @"/Type\s*/Page[^s]").Count;
        // Measures against targets, summary, client groups, counting basis, strategy tracking, prevalence cross-check, costs
        // and scenarios: 6 pages on the sample with the print style sheet's fitted tables (13 before it).
        Assert.InRange(pages, 2, 9);
        // A4 is 595 x 842 points.
        Assert.Matches(@"/MediaBox\s*\[\s*0\s+0\s+595(\.\d+)?\s+841(\.\d+)?|/MediaBox\s*\[\s*0\s+0\s+595(\.\d+)?\s+842", text);
    }

    [SkippableFact]
    public async Task An_analyst_signs_in_opens_the_import_page_and_the_browser_downloads_a_table_as_csv_and_xlsx()
    {
        BrowserFixture.RequireBrowser();
        var downloads = Directory.CreateDirectory(Path.Combine(fixture.Screenshots, "downloads")).FullName;
        foreach (var old in Directory.GetFiles(downloads)) File.Delete(old);
        using var driver = fixture.Browser();
        driver.ExecuteCdpCommand("Browser.setDownloadBehavior", new Dictionary<string, object?> { ["behavior"] = "allow", ["downloadPath"] = downloads });
        SignIn(driver, fixture.WebAddress, WebFactory.Analyst);

        driver.Navigate().GoToUrl(fixture.WebAddress + "/data/import");
        new WebDriverWait(driver, TimeSpan.FromSeconds(60)).Until(d => d.FindElements(By.CssSelector("input[type=file]")).Count > 0);
        fixture.Save(driver, "import");

        // Chromium may show the file under its final name before it has written all of it: wait until no download is
        // in progress and the file's length holds still between two looks.
        string Download(string format)
        {
            driver.Navigate().GoToUrl(fixture.WebAddress + $"/download/units/{format}");
            string? done = null;
            var lastLength = -1L;
            new WebDriverWait(driver, TimeSpan.FromSeconds(60)) { PollingInterval = TimeSpan.FromMilliseconds(250) }.Until(_ =>
            {
                if (Directory.GetFiles(downloads, "*.crdownload").Length > 0) return false;
                done = Directory.GetFiles(downloads, "*." + format).FirstOrDefault();
                if (done is null) return false;
                var length = new FileInfo(done).Length;
                var settled = length > 0 && length == lastLength;
                lastLength = length;
                return settled;
            });
            return done!;
        }
        var csv = CsvFile.Parse(await File.ReadAllTextAsync(Download("csv")));
        using var xlsxFile = File.OpenRead(Download("xlsx"));
        var sheet = xlsxFile.Query(useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();

        // One row per client group the API gives, then the total, in both files.
        using var channel = fixture.Channel();
        var units = await new AnalyticsService.AnalyticsServiceClient(channel).GetStockSnapshotAsync(
            new StockRequest { Measure = "units", CouncilCode = WebFactory.Council, Breakdown = { "client_group" } }, WebFactory.Key(WebFactory.Analyst));
        var column = Array.IndexOf(csv.Header, "Units");
        Assert.True(column >= 0, string.Join(", ", csv.Header));
        Assert.Equal(units.Rows.Count + 1, csv.Rows.Count);
        Assert.Equal("All client groups", csv.Rows[^1][0]);
        var total = units.Rows.Sum(r => r.Measures["units"]);
        Assert.Equal(total, csv.Rows.SkipLast(1).Sum(r => double.Parse(r[column], CultureInfo.InvariantCulture)));
        Assert.Equal(total, double.Parse(csv.Rows[^1][column], CultureInfo.InvariantCulture));
        Assert.Equal(csv.Rows.Count, sheet.Count);
        Assert.Equal(total, Convert.ToDouble(sheet[^1]["Units"], CultureInfo.InvariantCulture));
        Assert.Equal(total, sheet.SkipLast(1).Sum(r => Convert.ToDouble(r["Units"], CultureInfo.InvariantCulture)));
    }

    [SkippableFact]
    public void A_commissioner_is_turned_away_from_the_scenario_form_and_a_strategy_lead_fills_it_in()
    {
        BrowserFixture.RequireBrowser();
        using (var commissioner = fixture.Browser())
        {
            SignIn(commissioner, fixture.WebAddress, WebFactory.Commissioner);
            commissioner.Navigate().GoToUrl(fixture.WebAddress + "/scenarios/edit");
            Assert.Contains("/denied", commissioner.Url);
            Assert.Contains("does not allow", commissioner.FindElement(By.TagName("h1")).Text);
            fixture.Save(commissioner, "denied");
        }

        using var lead = fixture.Browser(820, 1180);
        SignIn(lead, fixture.WebAddress, WebFactory.StrategyLead);
        lead.Navigate().GoToUrl(fixture.WebAddress + "/scenarios/edit");
        lead.FindElement(By.Id("name")).SendKeys("Extra care scheme slips, more moves");
        lead.FindElement(By.Id("residential_to_sl_moves_per_year")).SendKeys("30");
        lead.FindElement(By.Id("admission_diversion_pct")).SendKeys("150");
        fixture.Save(lead, "scenario-form-tablet");
        lead.FindElement(By.CssSelector("form.stack button.primary")).Click();
        Assert.Contains("must be", lead.FindElement(By.Id("errors")).Text);
        fixture.Save(lead, "scenario-form-errors");
        var diversion = lead.FindElement(By.Id("admission_diversion_pct"));
        diversion.Clear();
        diversion.SendKeys("10");
        lead.FindElement(By.CssSelector("form.stack button.primary")).Click();
        new WebDriverWait(lead, TimeSpan.FromSeconds(30)).Until(d => d.Url.Contains("/scenarios?"));

        var row = lead.FindElements(By.CssSelector("#table-scenarios tbody tr")).Single(r => r.Text.Contains("Extra care scheme slips, more moves"));
        row.FindElement(By.CssSelector("button[type=submit]")).Click();
        // The status page reloads itself (a meta refresh, no script) until the run has finished, then links to the comparison.
        new WebDriverWait(lead, TimeSpan.FromSeconds(30)).Until(d => d.Url.Contains("/scenarios/run?"));
        fixture.Save(lead, "scenario-run-progress");
        new WebDriverWait(lead, TimeSpan.FromSeconds(120)).Until(d => d.FindElements(By.Id("result-link")).Count > 0);
        lead.FindElement(By.Id("result-link")).Click();
        new WebDriverWait(lead, TimeSpan.FromSeconds(60)).Until(d => d.FindElements(By.Id("table-comparison")).Count > 0);
        Assert.Contains("10% of residential (not nursing) admissions", lead.FindElement(By.Id("levers")).Text);
        fixture.Save(lead, "scenario-compare-tablet");
    }
}
