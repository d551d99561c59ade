using Grpc.Core;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client.Tests;

[Collection("server")]
[Trait("Category", "integration")]
public sealed class ClientTests(ServerFixture server)
{
    private string Sample(string file) => Path.Combine(server.SampleDirectory, file);

    [Fact]
    public async Task Status_lists_the_sample_tables_and_council()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var status = await client.GetStatusAsync();
        var contacts = SampleRows.Of("contacts.csv");
        Assert.Equal(contacts.Count, status.Tables.Single(t => t.Table == "contacts").Rows);
        Assert.Contains(status.Councils, c => c.CouncilCode == ServerFixture.Council);
        Assert.False(string.IsNullOrEmpty(status.SnapshotId));
        Assert.Contains((await client.ListSnapshotsAsync()).Snapshots, s => s.SnapshotId == status.SnapshotId);
    }

    [Fact]
    public async Task Contacts_per_financial_year_equal_the_csv_count()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var series = await client.GetFlowSeriesAsync(new V1.FlowSeriesRequest
        {
            Selector = Proto.Selector("contacts", ServerFixture.Council, V1.Period.FinancialYear),
        });
        var contacts = SampleRows.Of("contacts.csv");
        var points = series.Groups.Single().Points;
        foreach (var year in new[] { 2020, 2023 })
        {
            var label = $"{year}/{(year + 1) % 100:00}";
            Assert.Equal(SampleCsv.CountInFinancialYear(contacts, "contact_date", year), points.Single(p => p.PeriodLabel == label).Value);
        }

        Assert.Equal(V1.Period.FinancialYear, series.Period);
    }

    [Fact]
    public async Task Monthly_breakdown_with_filter_matches_the_csv()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var series = await client.GetFlowSeriesAsync(new V1.FlowSeriesRequest
        {
            Selector = Proto.Selector("admissions", ServerFixture.Council, V1.Period.Month, new DateOnly(2023, 4, 1), new DateOnly(2024, 3, 31),
                new Dictionary<string, IReadOnlyList<string>> { ["setting"] = ["residential"] }),
        });
        var admissions = SampleRows.Of("admissions.csv").Where(r => r["setting"] == "residential").ToList();
        var points = series.Groups.Single().Points;
        Assert.Equal(12, points.Count);
        Assert.Equal(SampleCsv.CountInFinancialYear(admissions, "admission_date", 2023), points.Sum(p => p.Value));
        Assert.Equal(points.Sum(p => p.Value), points[^1].YearToDate);
        Assert.Equal(new DateOnly(2023, 4, 1), Proto.Date(points[0].PeriodStart));
    }

    [Fact]
    public async Task Pipeline_units_match_the_csv()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var table = await client.GetPipelineAsync(new V1.PipelineRequest { CouncilCode = ServerFixture.Council, Breakdown = { "status" } });
        var expected = SampleRows.Of("pipeline.csv").GroupBy(r => r["status"]).ToDictionary(g => g.Key, g => g.Sum(r => double.Parse(r["units"])));
        var actual = table.Rows.GroupBy(r => r.Dimensions["status"]).ToDictionary(g => g.Key, g => g.Sum(r => r.Measures["units"]));
        Assert.Equal(expected.OrderBy(kv => kv.Key), actual.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task The_audit_trail_names_the_upload_its_key_and_outcome()
    {
        using var client = server.Client();
        var report = await client.UploadAsync([new LocalFile(Sample("councils.csv"))], dryRun: true);
        var events = await client.ListAuditEventsAsync(new V1.ListAuditEventsRequest { Method = "Upload", Limit = 1000 });
        var upload = Assert.Single(events.Events, e => e.Target.Contains($"import_id={report.ImportId}"));
        Assert.Equal(("development analyst", "analyst", "OK"), (upload.KeyName, upload.Role, upload.Outcome));

        using var commissioner = server.Client(ServerFixture.CommissionerKey);
        var denied = await Assert.ThrowsAsync<ForecastingClientException>(() => commissioner.ListAuditEventsAsync());
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public async Task Upload_dry_run_streams_the_files_and_counts_rows()
    {
        using var client = server.Client();
        var files = Directory.GetFiles(server.SampleDirectory, "*.csv").Select(f => new LocalFile(f)).ToList();
        var report = await client.UploadAsync(files, dryRun: true);
        Assert.True(report.Succeeded, string.Join("\n", report.Issues.Select(i => i.Reason)));
        Assert.True(report.DryRun);
        Assert.Equal(SampleRows.Of("contacts.csv").Count, report.Tables.Single(t => t.Table == "contacts").RowsInFile);
    }

    [Fact]
    public async Task Upload_that_would_remove_most_rows_is_refused_unless_allowed()
    {
        using var client = server.Client();
        var dir = Directory.CreateTempSubdirectory("forecasting-client-").FullName;
        var file = Path.Combine(dir, "contacts.csv");
        File.WriteAllLines(file, File.ReadLines(Sample("contacts.csv")).Take(101));
        var total = SampleRows.Of("contacts.csv").Count;

        var refused = await client.UploadAsync([new LocalFile(file)], dryRun: true);
        Assert.False(refused.Succeeded);
        Assert.Contains(refused.Issues, i => i.Severity == V1.Severity.Error && i.Reason.Contains("allow_shrink"));

        var allowed = await client.UploadAsync([new LocalFile(file)], dryRun: true, allowShrink: true);
        Assert.True(allowed.Succeeded, string.Join("\n", allowed.Issues.Select(i => i.Reason)));
        var change = Assert.Single(allowed.Changes);
        Assert.Equal(("contacts", ServerFixture.Council, (long)total, 0L, total - 100L, 0L, 100L),
            (change.Table, change.CouncilCode, change.RowsBefore, change.RowsAdded, change.RowsRemoved, change.RowsChanged, change.RowsUnchanged));
    }

    [Fact]
    public async Task Upload_of_a_bad_extract_reports_the_line_and_leaves_the_store()
    {
        using var client = server.Client();
        var before = (await client.GetStatusAsync()).SnapshotId;
        var bad = Path.Combine(server.RepoRoot, "data-samples", "bad", "duplicate_contact_id");
        var report = await client.UploadAsync(Directory.GetFiles(bad, "*.csv").Select(f => new LocalFile(f)));
        Assert.False(report.Succeeded);
        Assert.Contains(report.Issues, i => i.Severity == V1.Severity.Error && i.File.EndsWith("contacts.csv") && i.Row == 5 && i.Column.Contains("contact_id"));
        Assert.Equal(before, (await client.GetStatusAsync()).SnapshotId);
    }

    [Fact]
    public async Task Missing_or_wrong_key_is_unauthenticated()
    {
        using var anonymous = server.Client(key: null);
        var e1 = await Assert.ThrowsAsync<ForecastingClientException>(() => anonymous.GetStatusAsync());
        Assert.Equal(StatusCode.Unauthenticated, e1.StatusCode);
        Assert.True(e1.IsAuthError);

        using var wrong = server.Client("wrong-key");
        var e2 = await Assert.ThrowsAsync<ForecastingClientException>(() => wrong.GetStatusAsync());
        Assert.Equal(StatusCode.Unauthenticated, e2.StatusCode);
    }

    [Fact]
    public async Task Commissioner_may_not_import()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var e = await Assert.ThrowsAsync<ForecastingClientException>(() =>
            client.ImportAsync(new V1.ImportRequest { Directory = server.SampleDirectory, DryRun = true }));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("Import", e.Operation);
    }

    [Fact]
    public async Task Unknown_metric_is_invalid_argument_with_the_servers_message()
    {
        using var client = server.Client();
        var e = await Assert.ThrowsAsync<ForecastingClientException>(() =>
            client.GetFlowSeriesAsync(new V1.FlowSeriesRequest { Selector = Proto.Selector("no_such_metric") }));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("metric", e.Detail);
        Assert.Contains(e.Detail, e.Message);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task Reads_are_retried_on_unavailable_and_writes_are_not()
    {
        var handler = new CountingHandler { InnerHandler = new HttpClientHandler() };
        var address = $"http://127.0.0.1:{ProcessServerFixture.FreePort()}";
        var options = new ForecastingClientOptions
        {
            Address = address,
            ApiKey = ServerFixture.AnalystKey,
            DefaultDeadline = TimeSpan.FromSeconds(20),
            MaxAttempts = 3,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
        };
        using var client = new ForecastingClient(options, handler);

        var e = await Assert.ThrowsAsync<ForecastingClientException>(() => client.GetStatusAsync());
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal(3, handler.Requests);

        var w = await Assert.ThrowsAsync<ForecastingClientException>(() => client.DeleteScenarioAsync(new V1.DeleteScenarioRequest { ScenarioId = "any" }));
        Assert.Equal(StatusCode.Unavailable, w.StatusCode);
        Assert.Equal(4, handler.Requests);

        await Assert.ThrowsAsync<ForecastingClientException>(() => client.ListScenariosAsync(new V1.ListScenariosRequest()));
        Assert.Equal(7, handler.Requests);
    }

    [Fact]
    public async Task Every_call_has_a_deadline()
    {
        using var client = server.Client(ServerFixture.Options(server.Address, ServerFixture.AnalystKey) with { DefaultDeadline = TimeSpan.FromTicks(1) });
        var e = await Assert.ThrowsAsync<ForecastingClientException>(() => client.GetStatusAsync());
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
    }

    [Fact]
    public async Task Forecast_returns_intervals_around_the_mean()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var run = await client.ForecastAsync(new V1.ForecastRequest
        {
            Selector = Proto.Selector("contacts", ServerFixture.Council),
            Horizon = 6,
            Levels = { 80.0, 95.0 },
        });
        var series = run.Series.Single();
        Assert.Equal(6, series.Points.Count);
        Assert.NotEmpty(series.History);
        Assert.False(string.IsNullOrEmpty(run.RunId));
        foreach (var p in series.Points)
        {
            var i80 = p.Intervals.Single(i => i.Level == 80);
            var i95 = p.Intervals.Single(i => i.Level == 95);
            Assert.InRange(p.Mean, i80.Lower, i80.Upper);
            Assert.True(i95.Lower <= i80.Lower && i80.Upper <= i95.Upper);
        }
    }

    [Fact]
    public async Task Refresh_streams_progress_and_stores_a_run()
    {
        using var client = server.Client();
        var updates = new List<V1.RefreshProgress>();
        await foreach (var u in client.RefreshAsync(new V1.RefreshRequest { CouncilCode = ServerFixture.Council })) updates.Add(u);

        Assert.NotEmpty(updates);
        var last = updates[^1];
        Assert.True(last.Finished);
        Assert.False(string.IsNullOrEmpty(last.RunId));
        Assert.Contains((await client.ListRunsAsync()).Runs, r => r.RunId == last.RunId);
    }

    [Fact]
    public async Task Strategies_carry_every_version_with_its_total()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var strategies = (await client.ListStrategiesAsync(new V1.ListStrategiesRequest { CouncilCode = ServerFixture.Council })).Strategies;
        var phases = SampleRows.Of("strategy_phases.csv");
        // Versions from the sample's file; versions created through the API are checked where they are made.
        foreach (var s in strategies.Where(s => phases.Any(p => p["strategy_id"] == s.StrategyId && p["version"] == s.Version.ToString())))
        {
            var expected = phases.Where(p => p["strategy_id"] == s.StrategyId && p["version"] == s.Version.ToString()).Sum(p => int.Parse(p["unit_target"]));
            Assert.Equal(expected, s.TotalTarget);
        }

        Assert.True(strategies.Count >= 2);
    }

    private static V1.GetStrategyRequest Strategy(int version = 0) => new() { CouncilCode = ServerFixture.Council, StrategyId = "sl-2021", Version = version };

    private static V1.CreateStrategyVersionRequest Version(string reason, IEnumerable<V1.StrategyPhase>? phases = null,
        IEnumerable<V1.StrategyTarget>? targets = null) => new()
        {
            CouncilCode = ServerFixture.Council,
            StrategyId = "sl-2021",
            Reason = reason,
            Phases = { phases ?? [] },
            Targets = { targets ?? [] },
        };

    private static V1.StrategyTarget Target(string group, int fy, int units) => new() { ClientGroup = group, Fy = fy, UnitTarget = units };

    [Fact]
    public async Task A_strategy_lead_creates_a_strategy_version_with_the_key_as_author()
    {
        using var lead = server.Client(ServerFixture.StrategyKey);
        var latest = await lead.GetStrategyAsync(Strategy());
        // The same phases as the latest version, so other tests on this server see the same targets.
        var phases = latest.Phases.Select(p => new V1.StrategyPhase { Name = p.Name, StartFy = p.StartFy, EndFy = p.EndFy, UnitTarget = p.UnitTarget }).ToList();
        var created = await lead.CreateStrategyVersionAsync(Version("re-based after the pipeline review", phases));
        Assert.Equal(latest.Version + 1, created.Version);
        Assert.Equal(phases.Sum(p => p.UnitTarget), created.TotalTarget);
        Assert.Equal(("development strategy lead", "re-based after the pipeline review"), (created.Author, created.Reason));

        using var commissioner = server.Client(ServerFixture.CommissionerKey);
        var denied = await Assert.ThrowsAsync<ForecastingClientException>(() => commissioner.CreateStrategyVersionAsync(Version("not allowed", phases)));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public async Task A_strategy_version_with_group_targets_round_trips_and_is_compared_per_group()
    {
        using var lead = server.Client(ServerFixture.StrategyKey);
        var previous = await lead.GetStrategyAsync(Strategy());
        try
        {
            // ld_autism 30, 30, 40 in 2025/26-2027/28 (30, 60, 100 due); physical_sensory 15 over the period (5, 10, 15 due).
            var request = Version("targets per client group", targets:
            [
                Target("ld_autism", 2025, 30), Target("ld_autism", 2026, 30), Target("ld_autism", 2027, 40), Target("physical_sensory", 0, 15),
            ]);
            request.StartFy = 2025;
            request.EndFy = 2027;
            var created = await lead.CreateStrategyVersionAsync(request);
            Assert.Equal(115, created.TotalTarget);
            Assert.Equal(Target("physical_sensory", 0, 15), created.Targets.Single(t => t.ClientGroup == "physical_sensory"));
            Assert.Equal(4, (await lead.GetStrategyAsync(Strategy(created.Version))).Targets.Count);

            var result = await lead.RunScenarioToEndAsync(new V1.RunScenarioRequest { CouncilCode = ServerFixture.Council, Draws = 50, Seed = 1 });
            var due = new Dictionary<(string, int), double>
            {
                [("ld_autism", 2025)] = 30, [("ld_autism", 2026)] = 60, [("ld_autism", 2027)] = 100,
                [("physical_sensory", 2025)] = 5, [("physical_sensory", 2026)] = 10, [("physical_sensory", 2027)] = 15,
                [("all", 2025)] = 35, [("all", 2026)] = 70, [("all", 2027)] = 115,
            };
            Assert.Equal(["all", "ld_autism", "physical_sensory"], result.Targets.Select(t => t.ClientGroup).Distinct().Order());
            foreach (var t in result.Targets)
            {
                Assert.Equal(due[(t.ClientGroup, t.Fy)], t.TargetDue, 9);
                Assert.True(t.RemainingRequirement >= 0 && t.Surplus >= 0 && (t.RemainingRequirement == 0 || t.Surplus == 0));
                Assert.Equal(t.TargetDue, result.Years.Single(y => y.Fy == t.Fy && y.ClientGroup == t.ClientGroup).TargetCumulative, 9);
            }
            var bad = await Assert.ThrowsAsync<ForecastingClientException>(() =>
                lead.CreateStrategyVersionAsync(Version("typo", targets: [Target("ld", 2025, 1)])));
            Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
            Assert.Contains("targets[0].client_group: unknown client group 'ld'", bad.Message);
        }
        finally
        {
            await server.RestoreStrategyAsync(previous);
        }
    }

    [Fact]
    public async Task Scenario_create_update_run_compare_delete()
    {
        using var client = server.Client(ServerFixture.StrategyKey);
        var draft = new V1.CreateScenarioRequest
        {
            CouncilCode = ServerFixture.Council,
            Name = "client test scenario",
            Description = "75-unit extra care scheme a year later",
            Levers = new V1.ScenarioLevers
            {
                ResidentialToSlMovesPerYear = 30,
                NewSchemes =
                {
                    new V1.NewScheme
                    {
                        Name = "Test scheme", Units = 20, Category = "supported_living", ClientGroup = "ld_autism", ExpectedDate = Proto.Iso(new DateOnly(2027, 4, 1)),
                    },
                },
            },
        };
        var created = await client.CreateScenarioAsync(draft);
        Assert.Equal(1, created.Revision);
        Assert.Equal(30, created.Levers.ResidentialToSlMovesPerYear);
        Assert.Equal("2027-04-01", created.Levers.NewSchemes.Single().ExpectedDate);
        // Levers left unset stay unset: the baseline's value applies.
        Assert.False(created.Levers.HasTransitionsCohortMultiplier || created.Levers.HasStrategyVersion || created.Levers.HasStartFy || created.Levers.HasEndFy);

        var levers = draft.Levers.Clone();
        levers.ResidentialToSlMovesPerYear = 10;
        var updated = await client.UpdateScenarioAsync(new V1.UpdateScenarioRequest
        {
            ScenarioId = created.ScenarioId, Name = draft.Name, Description = draft.Description, Levers = levers,
        });
        Assert.Equal(2, updated.Revision);
        Assert.Equal(30, (await client.GetScenarioAsync(new V1.GetScenarioRequest { ScenarioId = created.ScenarioId, Revision = 1 })).Levers.ResidentialToSlMovesPerYear);

        var progress = new List<V1.RunScenarioProgress>();
        var result = await client.RunScenarioToEndAsync(new V1.RunScenarioRequest { ScenarioId = created.ScenarioId, Draws = 200, Seed = 5 },
            new SynchronousProgress<V1.RunScenarioProgress>(progress.Add));
        Assert.Equal(created.ScenarioId, result.ScenarioId);
        Assert.NotEmpty(result.Years);
        Assert.Same(result, progress[^1].Result);
        var stored = await client.ListScenarioResultsAsync(new V1.ListScenarioResultsRequest { ScenarioId = created.ScenarioId });
        Assert.Contains(stored.Results, r => r.ResultId == result.ResultId);
        Assert.All(result.Years.Where(y => y.ShortfallDistribution is not null),
            y => Assert.True(y.ShortfallDistribution.P10 <= y.ShortfallDistribution.P50 && y.ShortfallDistribution.P50 <= y.ShortfallDistribution.P90));

        var other = await client.CreateScenarioAsync(new V1.CreateScenarioRequest
        {
            CouncilCode = ServerFixture.Council,
            Name = "client test: slip only",
            Levers = new V1.ScenarioLevers { Slippage = { new V1.SchemeSlippage { PipelineId = "PL09", Months = 12 } } },
        });
        var comparison = await client.CompareScenariosAsync(new V1.CompareScenariosRequest
        {
            CouncilCode = ServerFixture.Council, ScenarioIds = { created.ScenarioId, other.ScenarioId }, Draws = 200, Seed = 5,
        });
        Assert.NotNull(comparison.Baseline);
        Assert.Contains(comparison.Rows, r => r.ScenarioId == created.ScenarioId);
        Assert.Contains(comparison.Rows, r => r.ScenarioId == other.ScenarioId);
        var baselineRows = comparison.Rows.Where(r => string.IsNullOrEmpty(r.ScenarioId)).ToDictionary(r => (r.Fy, r.ClientGroup));
        foreach (var row in comparison.Rows.Where(r => r.ScenarioId == created.ScenarioId))
            Assert.Equal(row.ShortfallCumulative - baselineRows[(row.Fy, row.ClientGroup)].ShortfallCumulative, row.DeltaVsBaseline, 6);
        await client.DeleteScenarioAsync(new V1.DeleteScenarioRequest { ScenarioId = other.ScenarioId });

        using var commissioner = server.Client(ServerFixture.CommissionerKey);
        var denied = await Assert.ThrowsAsync<ForecastingClientException>(() =>
            commissioner.DeleteScenarioAsync(new V1.DeleteScenarioRequest { ScenarioId = created.ScenarioId }));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        await client.DeleteScenarioAsync(new V1.DeleteScenarioRequest { ScenarioId = created.ScenarioId });
        Assert.DoesNotContain((await client.ListScenariosAsync(new V1.ListScenariosRequest { CouncilCode = ServerFixture.Council })).Scenarios,
            s => s.ScenarioId == created.ScenarioId);
    }

    /// <summary>Reports on the caller's thread, so the list is complete when the call returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
