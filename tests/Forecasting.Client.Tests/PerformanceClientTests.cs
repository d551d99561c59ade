using Forecasting.Store.Analytics;
using Grpc.Core;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client.Tests;

/// <summary>
/// The PerformanceService through the C# client. Expected figures come from the sample CSVs (admissions of people
/// aged 65 and over, data-samples/harbridge), from the contract's own definitions (RAG against a target and its amber
/// margin) or from the server's answer to the same question through another call.
/// </summary>
[Collection("server")]
[Trait("Category", "integration")]
public sealed class PerformanceClientTests(ServerFixture server)
{
    private const string Admissions65 = "ascof_2a2";
    private const int Year = 2024;
    private const string YearLabel = "2024/25";

    /// <summary>Admissions counted by ASCOF 2A(2): aged 65 and over at admission, or age not recorded.</summary>
    private static IEnumerable<Dictionary<string, string>> OlderAdmissions() =>
        SampleRows.Of("admissions.csv").Where(r => r["age_at_admission"] == "" || int.Parse(r["age_at_admission"]) >= 65);

    private static int Between(IEnumerable<Dictionary<string, string>> rows, string from, string to) =>
        rows.Count(r => string.CompareOrdinal(r["admission_date"], from) >= 0 && string.CompareOrdinal(r["admission_date"], to) <= 0);

    private static V1.MeasureSeriesRequest Series(string measure, V1.Period period, string from = "", string to = "") =>
        new() { Measure = measure, CouncilCode = ServerFixture.Council, Period = period, FromDate = from, ToDate = to };

    [Fact]
    public async Task The_catalogue_lists_every_measure_with_its_definition()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var measures = (await client.ListMeasuresAsync()).Measures;
        Assert.Equal(MeasureCatalog.Names.Order(StringComparer.Ordinal), measures.Select(m => m.Name).Order(StringComparer.Ordinal));
        var a = measures.Single(m => m.Name == Admissions65);
        Assert.Equal(("ASCOF 2A(2)", V1.Polarity.LowerIsBetter, V1.MeasureShape.Flow, "per 100,000"), (a.Code, a.Polarity, a.Shape, a.Unit));
        Assert.False(string.IsNullOrEmpty(a.Denominator));
        Assert.Contains("setting", a.Dimensions);
    }

    [Fact]
    public async Task Admissions_65_per_year_count_the_csv_over_the_population_the_rates_call_uses()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var series = await client.GetMeasureSeriesAsync(Series(Admissions65, V1.Period.FinancialYear, "2020-04-01", "2025-03-31"));
        var rates = await client.GetRatesAsync(new V1.RateRequest
        {
            Selector = Proto.Selector("admissions", ServerFixture.Council, V1.Period.FinancialYear, new DateOnly(2020, 4, 1), new DateOnly(2025, 3, 31)),
            AgeGroup = "65+",
        });
        var points = series.Groups.Single().Points;
        Assert.Equal(5, points.Count);
        var ratePoints = rates.Groups.Single().Points.ToDictionary(p => p.PeriodLabel);
        foreach (var p in points)
        {
            var start = int.Parse(p.PeriodLabel[..4]);
            Assert.Equal(Between(OlderAdmissions(), $"{start}-04-01", $"{start + 1}-03-31"), p.Numerator);
            Assert.Equal(ratePoints[p.PeriodLabel].Population, p.Denominator);
            Assert.Equal(p.Numerator / p.Denominator * 100_000, p.Value, 9);
            Assert.Equal(p.Value, p.YtdValue, 9);
        }

        Assert.Equal(V1.Period.FinancialYear, series.Period);
        Assert.False(string.IsNullOrEmpty(series.SnapshotId));
    }

    [Fact]
    public async Task Monthly_year_to_date_accumulates_from_April_and_a_breakdown_adds_up()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var months = (await client.GetMeasureSeriesAsync(Series(Admissions65, V1.Period.Month, "2024-04-01", "2025-03-31"))).Groups.Single().Points;
        Assert.Equal(12, months.Count);
        var running = 0.0;
        foreach (var p in months)
        {
            running += p.Numerator;
            Assert.Equal(running, p.YtdNumerator);
            var month = Proto.Date(p.PeriodStart)!.Value;
            Assert.Equal(Between(OlderAdmissions(), Proto.Iso(month), Proto.Iso(month.AddMonths(1).AddDays(-1))), p.Numerator);
        }

        var bySetting = await client.GetMeasureSeriesAsync(new V1.MeasureSeriesRequest(Series(Admissions65, V1.Period.FinancialYear, "2024-04-01", "2025-03-31"))
        {
            Breakdown = { "setting" },
        });
        var settings = bySetting.Groups.ToDictionary(g => g.Key["setting"], g => g.Points.Single().Numerator);
        foreach (var (setting, count) in settings)
            Assert.Equal(OlderAdmissions().Count(r => r["setting"] == setting && string.CompareOrdinal(r["admission_date"], "2024-04-01") >= 0
                && string.CompareOrdinal(r["admission_date"], "2025-03-31") <= 0), count);
        Assert.Equal(months[^1].YtdNumerator, settings.Values.Sum());
    }

    [Fact]
    public async Task Performance_at_nine_months_takes_the_year_to_date_of_the_series_and_knows_the_actual()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var report = await client.GetPerformanceAsync(new V1.PerformanceRequest
        {
            CouncilCode = ServerFixture.Council, FinancialYear = YearLabel, Measures = { Admissions65 }, MonthsElapsed = 9,
        });
        Assert.Equal((ServerFixture.Council, YearLabel), (report.CouncilCode, report.FinancialYear));
        // As of the end of the ninth month: the last day of the data the answer uses.
        Assert.Equal("2024-12-31", report.AsOf);
        var m = Assert.Single(report.Measures);
        Assert.Equal((Admissions65, 9), (m.Measure.Name, m.MonthsElapsed));
        Assert.Equal(Between(OlderAdmissions(), "2024-04-01", "2024-12-31"), m.YtdNumerator);

        var months = (await client.GetMeasureSeriesAsync(Series(Admissions65, V1.Period.Month, "2024-04-01", "2025-03-31"))).Groups.Single().Points;
        Assert.Equal(months[8].YtdValue, m.YtdValue, 9);
        Assert.Equal(months.Take(9).Select(p => p.PeriodLabel), m.Months.Select(s => s.PeriodLabel));
        foreach (var (status, point) in m.Months.Zip(months))
            Assert.Equal(point.YtdValue, status.YtdValue, 9);

        // Asked with every month of the year, which the data holds complete, the estimate and the actual are the yearly series' value.
        var year = (await client.GetMeasureSeriesAsync(Series(Admissions65, V1.Period.FinancialYear, "2024-04-01", "2025-03-31"))).Groups.Single().Points.Single();
        var whole = (await client.GetPerformanceAsync(new V1.PerformanceRequest
        {
            CouncilCode = ServerFixture.Council, FinancialYear = YearLabel, Measures = { Admissions65 },
        })).Measures.Single();
        Assert.Equal(12, whole.MonthsElapsed);
        Assert.Equal(year.Value, whole.YearEnd.Actual, 9);
        Assert.Equal(year.Value, whole.YearEnd.Estimate, 9);
        Assert.Equal(m.Months[^1].YearEndEstimate, m.YearEnd.Estimate, 9);
        // The year is whole in the data, so the estimate made at nine months stands beside the actual.
        Assert.Equal(year.Value, m.YearEnd.Actual, 9);
        var i80 = m.YearEnd.Intervals.Single(i => i.Level == 80);
        var i95 = m.YearEnd.Intervals.Single(i => i.Level == 95);
        Assert.InRange(m.YearEnd.Estimate, i80.Lower, i80.Upper);
        Assert.True(i95.Lower <= i80.Lower && i80.Upper <= i95.Upper);
        Assert.True(m.YearEnd.Estimate >= m.YtdValue, "a flow's year end is at least its year to date");
    }

    [Fact]
    public async Task A_target_set_by_the_strategy_lead_is_versioned_and_drives_the_rag_status()
    {
        using var lead = server.Client(ServerFixture.StrategyKey);
        var before = (await lead.ListTargetsAsync(new V1.ListTargetsRequest { CouncilCode = ServerFixture.Council, Measure = Admissions65 })).Targets
            .Where(t => t.FinancialYear == YearLabel).Select(t => t.Version).DefaultIfEmpty(0).Max();
        var report = await lead.GetPerformanceAsync(new V1.PerformanceRequest
        {
            CouncilCode = ServerFixture.Council, FinancialYear = YearLabel, Measures = { Admissions65 }, MonthsElapsed = 9,
        });
        var estimate = report.Measures.Single().YearEnd.Estimate;

        // A target at the top of the estimate's 95% range (lower is better: a chance near 97.5%, green); then one at the
        // estimate itself (a chance near a coin toss: amber, never "on track").
        var upper95 = report.Measures.Single().YearEnd.Intervals.Single(i => i.Level == 95).Upper;
        var green = await lead.SetTargetAsync(new V1.SetTargetRequest
        {
            CouncilCode = ServerFixture.Council, Measure = Admissions65, FinancialYear = YearLabel, Target = Math.Round(upper95, 3),
            Reason = "cabinet report: cap on 65+ admissions",
        });
        Assert.Equal((before + 1, "development strategy lead", "cabinet report: cap on 65+ admissions"), (green.Version, green.Author, green.Reason));
        Assert.Equal(green.Target * 0.05, green.AmberMargin, 9);
        Assert.Equal(V1.RagStatus.Green, await RagAsync());

        var amber = await lead.SetTargetAsync(new V1.SetTargetRequest
        {
            CouncilCode = ServerFixture.Council, Measure = Admissions65, FinancialYear = YearLabel, Target = Math.Round(estimate, 3),
            AmberMargin = Math.Round(estimate * 0.05, 3), Reason = "re-based after the winter review",
        });
        Assert.Equal(before + 2, amber.Version);
        Assert.Equal(V1.RagStatus.Amber, await RagAsync());

        var targets = (await lead.ListTargetsAsync(new V1.ListTargetsRequest { CouncilCode = ServerFixture.Council, Measure = Admissions65 })).Targets
            .Where(t => t.FinancialYear == YearLabel).ToList();
        Assert.Equal([before + 2, before + 1], targets.Take(2).Select(t => t.Version));
        Assert.Equal(amber.Target, targets[0].Target);

        var current = (await lead.GetPerformanceAsync(new V1.PerformanceRequest
        {
            CouncilCode = ServerFixture.Council, FinancialYear = YearLabel, Measures = { Admissions65 }, MonthsElapsed = 9,
        })).Measures.Single();
        Assert.Equal(amber.Version, current.Target.Version);
        Assert.InRange(current.ProbabilityOfMeetingTarget, 0.3, 0.7);
        foreach (var month in current.Months)
            Assert.Equal(ExpectedRag(month.YearEndEstimate, amber), month.Rag);

        using var commissioner = server.Client(ServerFixture.CommissionerKey);
        var denied = await Assert.ThrowsAsync<ForecastingClientException>(() => commissioner.SetTargetAsync(new V1.SetTargetRequest
        {
            CouncilCode = ServerFixture.Council, Measure = Admissions65, FinancialYear = YearLabel, Target = 1, Reason = "not allowed",
        }));
        Assert.Equal((StatusCode.PermissionDenied, "SetTarget"), (denied.StatusCode, denied.Operation));

        async Task<V1.RagStatus> RagAsync() => (await lead.GetPerformanceAsync(new V1.PerformanceRequest
        {
            CouncilCode = ServerFixture.Council, FinancialYear = YearLabel, Measures = { Admissions65 }, MonthsElapsed = 9,
        })).Measures.Single().Rag;
    }

    /// <summary>The contract's RAG for a lower-is-better measure: green within the target, amber within the margin above it, red beyond.</summary>
    private static V1.RagStatus ExpectedRag(double value, V1.MeasureTarget target) =>
        value <= target.Target ? V1.RagStatus.Green : value <= target.Target + target.AmberMargin ? V1.RagStatus.Amber : V1.RagStatus.Red;

    [Fact]
    public async Task A_target_without_a_reason_or_for_an_unknown_measure_is_invalid()
    {
        using var lead = server.Client(ServerFixture.StrategyKey);
        var noReason = await Assert.ThrowsAsync<ForecastingClientException>(() => lead.SetTargetAsync(new V1.SetTargetRequest
        {
            CouncilCode = ServerFixture.Council, Measure = Admissions65, FinancialYear = YearLabel, Target = 500,
        }));
        Assert.Equal(StatusCode.InvalidArgument, noReason.StatusCode);

        var unknown = await Assert.ThrowsAsync<ForecastingClientException>(() => lead.GetMeasureSeriesAsync(Series("no_such_measure", V1.Period.Month)));
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Contains("no_such_measure", unknown.Detail);
    }

    [Fact]
    public async Task The_scorecard_has_one_row_per_measure_with_data_matching_each_series()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var report = await client.GetPerformanceAsync(new V1.PerformanceRequest { CouncilCode = ServerFixture.Council, FinancialYear = YearLabel });
        Assert.NotEmpty(report.Measures);
        Assert.Contains(report.Measures, m => m.Measure.Name == Admissions65);
        Assert.Equal(report.Measures.Count, report.Measures.Select(m => m.Measure.Name).Distinct().Count());
        foreach (var m in report.Measures)
        {
            var points = (await client.GetMeasureSeriesAsync(Series(m.Measure.Name, V1.Period.Month, "2024-04-01", report.AsOf))).Groups
                .SelectMany(g => g.Points).ToList();
            var last = points.Single(p => p.PeriodLabel == m.Months[^1].PeriodLabel);
            Assert.True(Same(last.YtdValue, m.YtdValue), $"{m.Measure.Name}: year to date {m.YtdValue}, series {last.YtdValue}");
        }
    }

    [Fact]
    public async Task Budget_outturn_of_a_year_adds_up_to_the_csv_budgets()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var all = await client.GetBudgetOutturnAsync(new V1.BudgetOutturnRequest { CouncilCode = ServerFixture.Council });
        var path = Path.Combine(RepoPaths.Samples, "budgets.csv");
        if (!File.Exists(path))
        {
            Assert.Empty(all.Rows);
            return;
        }

        // budgets.csv writes the financial year as its label (2024/25); the table has one row per service line and a total row.
        var budgets = SampleCsv.Read(path).Where(r => r["council_code"] == ServerFixture.Council).ToList();
        var last = budgets.Max(r => r["fy"])!;
        var one = await client.GetBudgetOutturnAsync(new V1.BudgetOutturnRequest { CouncilCode = ServerFixture.Council, FinancialYear = last });
        static double Money(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var lines = budgets.Where(r => r["fy"] == last).ToDictionary(r => r["service_line"], r => Money(r["budget"]));
        var rows = one.Rows.ToDictionary(r => r.Dimensions["service_line"], r => r.Measures["budget"]);
        foreach (var (line, budget) in lines) Assert.Equal(budget, rows[line], 6);
        Assert.Equal(lines.Values.Sum(), rows["total"], 6);
        Assert.All(one.Rows, r => Assert.Equal(last, r.Dimensions["financial_year"]));
        Assert.Equal(budgets.Select(r => r["fy"]).Distinct().Count(), all.Rows.Select(r => r.Dimensions["financial_year"]).Distinct().Count());
    }

    [Fact]
    public async Task Performance_reads_are_retried_on_unavailable_and_setting_a_target_is_not()
    {
        var handler = new CountingHandler { InnerHandler = new HttpClientHandler() };
        var options = new ForecastingClientOptions
        {
            Address = $"http://127.0.0.1:{ProcessServerFixture.FreePort()}",
            ApiKey = ServerFixture.StrategyKey,
            DefaultDeadline = TimeSpan.FromSeconds(20),
            MaxAttempts = 3,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
        };
        using var client = new ForecastingClient(options, handler);

        var read = await Assert.ThrowsAsync<ForecastingClientException>(() =>
            client.GetPerformanceAsync(new V1.PerformanceRequest { CouncilCode = ServerFixture.Council }));
        Assert.Equal((StatusCode.Unavailable, "GetPerformance", 3), (read.StatusCode, read.Operation, handler.Requests));

        var write = await Assert.ThrowsAsync<ForecastingClientException>(() => client.SetTargetAsync(new V1.SetTargetRequest
        {
            CouncilCode = ServerFixture.Council, Measure = Admissions65, FinancialYear = YearLabel, Target = 500, Reason = "never sent",
        }));
        Assert.Equal((StatusCode.Unavailable, 4), (write.StatusCode, handler.Requests));

        await Assert.ThrowsAsync<ForecastingClientException>(() => client.ListMeasuresAsync());
        Assert.Equal(7, handler.Requests);
    }

    private static bool Same(double a, double b) =>
        (double.IsNaN(a) && double.IsNaN(b)) || Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a));

    private sealed class CountingHandler : DelegatingHandler
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
