using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>The analyst's pages: importing uploaded files as the API's Upload does, and refreshing every forecast as its Refresh does.</summary>
[Trait("Category", "integration")]
public sealed class DataPageTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private const string Council = WebFactory.Council;
    private const string AsOf = "2025-03-31";

    private async Task<StoreStatus> Status()
    {
        using var channel = factory.Channel();
        return await new DataService.DataServiceClient(channel).GetStatusAsync(new StatusRequest(), WebFactory.Key(WebFactory.Analyst));
    }

    private static MultipartFormDataContent Upload(string? token, params (string Name, string Text)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, text) in files)
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(content, "files", name);
        }
        if (token is not null) form.Add(new StringContent(token), "__RequestVerificationToken");
        return form;
    }

    private static int Waiting(string csv) => CsvFile.Parse(csv) is var file
        ? file.Rows.Where(r => r.Length == file.Header.Length).Select(r => file.Header.Zip(r).ToDictionary(p => p.First, p => p.Second))
            .Count(r => r["council_code"] == Council && string.CompareOrdinal(r["date_added"], AsOf) <= 0
                && (r["date_removed"] == "" || string.CompareOrdinal(r["date_removed"], AsOf) > 0))
        : 0;

    [Fact]
    public async Task An_analyst_imports_a_changed_file_and_the_overview_shows_the_new_waiting_list()
    {
        var sample = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Samples, "waiting_list.csv"));
        var changed = new StringBuilder(sample.TrimEnd('\n', '\r')).Append('\n');
        for (var i = 1; i <= 7; i++) changed.Append(CultureInfo.InvariantCulture, $"{Council},WTEST{i:D2},2025-02-{i + 10:D2},ld_autism,shared,25-64,,\n");
        var csv = changed.ToString();
        var expected = Waiting(csv);
        Assert.Equal(Waiting(sample) + 7, expected);

        var commissioner = await factory.SignedIn(WebFactory.Commissioner);
        Assert.Equal(Waiting(sample), Html.Value(await commissioner.GetStringAsync("/"), "waiting"));
        var before = (await Status()).SnapshotId;

        var analyst = await factory.SignedIn(WebFactory.Analyst);
        var form = await analyst.GetStringAsync("/data/import");
        Assert.Contains("<label for=\"files\">", form);
        var response = await analyst.PostAsync("/data/import", Upload(WebFactory.Token(form), ("waiting_list.csv", csv)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-succeeded=\"true\"", page);
        var change = Assert.Single(Html.Table(page, "changes"), r => r[0] == "waiting_list" && r[1] == Council);
        Assert.Equal(7, Html.Number(change[3]));
        Assert.Equal(0, Html.Number(change[4]));

        var after = await Status();
        Assert.NotEqual(before, after.SnapshotId);
        Assert.Contains(after.SnapshotId, page);
        Assert.Equal(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1, after.Tables.Single(t => t.Table == "waiting_list").Rows);
        Assert.Equal(expected, Html.Value(await commissioner.GetStringAsync("/"), "waiting"));

        // Audited as the API's Upload is: the import and the snapshot it made.
        using var channel = factory.Channel();
        var events = await new AuditService.AuditServiceClient(channel).ListAuditEventsAsync(
            new ListAuditEventsRequest { Method = "Upload" }, WebFactory.Key(WebFactory.Analyst));
        var audited = Assert.Single(events.Events, e => e.Target.Contains(after.SnapshotId, StringComparison.Ordinal));
        Assert.Equal(("development analyst", "analyst", "OK"), (audited.KeyName, audited.Role, audited.Outcome));
        var importId = Regex.Match(page, "data-import=\"([^\"]+)\"").Groups[1].Value;
        // Written as the API's audit writes it, so the import is found by its id like any API import.
        Assert.Contains($"import_id={importId}", audited.Target);
        Assert.Contains($"snapshot_id={after.SnapshotId}", audited.Target);
        var report = await new DataService.DataServiceClient(channel).GetValidationReportAsync(
            new ValidationReportRequest { ImportId = importId }, WebFactory.Key(WebFactory.Analyst));
        Assert.True(report.Succeeded);
    }

    [Fact]
    public async Task A_bad_file_shows_its_line_column_and_reason_and_changes_nothing()
    {
        var before = await Status();
        var analyst = await factory.SignedIn(WebFactory.Analyst);
        var form = await analyst.GetStringAsync("/data/import");
        var bad = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Bad("unknown_route"), "contacts.csv"));
        var response = await analyst.PostAsync("/data/import", Upload(WebFactory.Token(form), ("contacts.csv", bad)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-succeeded=\"false\"", page);
        var issue = Assert.Single(Html.Table(page, "issues"), r => r[0] == "error" && r[3] == "route");
        Assert.Equal(("contacts.csv", "4", "walk_in"), (issue[1], issue[2], issue[4]));
        Assert.EndsWith("allowed: community, hospital_discharge, hospital_diversion, transition, prison", issue[5]);
        // The same finding the API's report of that import gives.
        using (var channel = factory.Channel())
        {
            var report = await new DataService.DataServiceClient(channel).GetValidationReportAsync(
                new ValidationReportRequest { ImportId = Regex.Match(page, "data-import=\"([^\"]+)\"").Groups[1].Value }, WebFactory.Key(WebFactory.Analyst));
            Assert.False(report.Succeeded);
            var api = Assert.Single(report.Issues, i => i.Column == "route");
            Assert.Equal((api.File, api.Row.ToString(CultureInfo.InvariantCulture), api.Value, api.Reason), (issue[1], issue[2], issue[4], issue[5]));
        }

        var after = await Status();
        Assert.Equal(before.SnapshotId, after.SnapshotId);
        Assert.Equal(before.Tables.Select(t => (t.Table, t.Rows)), after.Tables.Select(t => (t.Table, t.Rows)));

        // A file naming no table is refused with the API's reason, before anything is read.
        response = await analyst.PostAsync("/data/import", Upload(WebFactory.Token(form), ("clients.csv", "a,b\n1,2\n")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("unknown table &#x27;clients&#x27;; tables are:", await response.Content.ReadAsStringAsync());
        Assert.Equal(before.SnapshotId, (await Status()).SnapshotId);
    }

    [Theory]
    [InlineData(WebFactory.Commissioner)]
    [InlineData(WebFactory.StrategyLead)]
    public async Task Only_an_analyst_may_open_or_post_the_import_and_refresh_pages(string key)
    {
        var before = await Status();
        var client = await factory.SignedIn(key);
        var token = WebFactory.Token(await client.GetStringAsync("/scenarios"));
        Assert.DoesNotContain("/data/import", await client.GetStringAsync("/"));
        foreach (var path in new[] { "/data/import", "/data/refresh" })
        {
            var open = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
            Assert.StartsWith("/denied", open.Headers.Location!.PathAndQuery);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(open.Headers.Location)).StatusCode);
        }
        var csv = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Samples, "waiting_list.csv"));
        var post = await client.PostAsync("/data/import", Upload(token, ("waiting_list.csv", csv)));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/denied", post.Headers.Location!.PathAndQuery);
        post = await client.PostAsync("/data/refresh", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/denied", post.Headers.Location!.PathAndQuery);
        Assert.Equal(before.SnapshotId, (await Status()).SnapshotId);
    }

    [Fact]
    public async Task Posts_without_the_anti_forgery_token_are_rejected()
    {
        var before = await Status();
        var analyst = await factory.SignedIn(WebFactory.Analyst);
        var csv = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Samples, "waiting_list.csv"));
        var post = await analyst.PostAsync("/data/import", Upload(null, ("waiting_list.csv", csv + $"{Council},WCSRF,2025-01-01,ld_autism,shared,25-64,,\n")));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        post = await analyst.PostAsync("/data/refresh", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(before.SnapshotId, (await Status()).SnapshotId);
        Assert.Equal(before.Tables.Single(t => t.Table == "waiting_list").Rows, (await Status()).Tables.Single(t => t.Table == "waiting_list").Rows);
    }

    [Fact]
    public async Task An_analyst_refreshes_every_forecast_and_sees_the_stored_run()
    {
        var analyst = await factory.SignedIn(WebFactory.Analyst);
        var form = await analyst.GetStringAsync("/data/refresh");
        var response = await analyst.PostAsync("/data/refresh", new FormUrlEncodedContent([new("__RequestVerificationToken", WebFactory.Token(form))]));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await analyst.GetStringAsync(response.Headers.Location);
        var runId = Regex.Match(page, "<span class=\"snapshot\" id=\"run-id\">([^<]+)</span>").Groups[1].Value;
        Assert.NotEmpty(runId);
        var finished = Regex.Match(page, "id=\"run-finished\" datetime=\"([^\"]+)\"").Groups[1].Value;

        using var channel = factory.Channel();
        var forecasts = new ForecastService.ForecastServiceClient(channel);
        var run = await forecasts.GetRunAsync(new GetRunRequest { RunId = runId }, WebFactory.Key(WebFactory.Commissioner));
        Assert.Equal("refresh", run.Kind);
        Assert.Equal(run.CreatedAt.ToDateTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), finished);
        Assert.Equal((await Status()).SnapshotId, run.SnapshotId);
        Assert.Contains($"{run.Series.Count} forecasts", page);
        // Every standard series, as the API's Refresh of the same council fits.
        Assert.Contains(run.Series, s => s.Metric == "admissions" && s.Key["age_group"] == "65+");
        Assert.Contains(run.Series, s => s.Metric == "new_tenancies" && s.Key["client_group"] == "ld_autism");
        Assert.Contains(run.Series, s => s.Metric == "contacts");

        var events = await new AuditService.AuditServiceClient(channel).ListAuditEventsAsync(
            new ListAuditEventsRequest { Method = "Refresh" }, WebFactory.Key(WebFactory.Analyst));
        var audited = Assert.Single(events.Events, e => e.Target == $"run_id={runId}");
        Assert.Equal(("development analyst", "analyst", "OK"), (audited.KeyName, audited.Role, audited.Outcome));
    }
}
