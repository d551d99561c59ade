using System.Globalization;
using Forecasting.Cli;
using Forecasting.Store.Analytics;
using Google.Protobuf;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client.Tests;

/// <summary>
/// measures, measure, performance, target and budget on the command line against the in-process server: the figures
/// printed equal the sample CSVs' or the server's own answer through the client for the same question.
/// </summary>
[Collection("server")]
[Trait("Category", "integration")]
public sealed class PerformanceCliTests(ServerFixture server)
{
    private sealed record Result(int Code, string Out, string Err);

    private async Task<Result> Run(string? key, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            ["FORECASTING_SERVER"] = server.Address,
            ["FORECASTING_API_KEY"] = key,
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr, name => env.GetValueOrDefault(name), httpHandler: server.Handler());
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    private static T Json<T>(Result r) where T : IMessage<T>, new() => JsonParser.Default.Parse<T>(r.Out);

    /// <summary>The rows of --format csv output, keyed by the header.</summary>
    private static List<Dictionary<string, string>> Csv(Result r)
    {
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => Fields(l).Select((v, i) => (header[i], v)).ToDictionary(x => x.Item1, x => x.v)).ToList();
    }

    /// <summary>One CSV line's fields, quotes honoured.</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }

        fields.Add(current.ToString());
        return fields;
    }

    private static string Exact(double d) => double.IsNaN(d) ? "" : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A CSV cell against the client's figure: empty for none, else the same number within floating-point summation order
    /// (two calls may sum a money or hours column in another order in the store's parallel aggregation).
    /// </summary>
    private static void Same(double? expected, string cell, string what)
    {
        if (expected is null || double.IsNaN(expected.Value))
        {
            Assert.True(cell == "", $"{what}: expected nothing, got '{cell}'");
            return;
        }

        var actual = double.Parse(cell, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(expected.Value - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected.Value)), $"{what}: expected {expected}, got {cell}");
    }

    private static int OlderAdmissionsBetween(string from, string to) => SampleRows.Of("admissions.csv").Count(r =>
        (r["age_at_admission"] == "" || int.Parse(r["age_at_admission"]) >= 65)
        && string.CompareOrdinal(r["admission_date"], from) >= 0 && string.CompareOrdinal(r["admission_date"], to) <= 0);

    [Fact]
    public async Task Measures_lists_the_catalogue()
    {
        var r = await Run(ServerFixture.CommissionerKey, "measures", "--format", "csv");
        Assert.Equal(ExitCodes.Ok, r.Code);
        var rows = Csv(r);
        Assert.Equal(MeasureCatalog.Names.Order(StringComparer.Ordinal), rows.Select(x => x["name"]).Order(StringComparer.Ordinal));
        var a = rows.Single(x => x["name"] == "ascof_2a2");
        Assert.Equal(("ASCOF 2A(2)", "lower is better", "flow", "per 100,000"), (a["code"], a["polarity"], a["shape"], a["unit"]));
    }

    [Fact]
    public async Task Measure_per_year_prints_the_csv_count_over_the_population()
    {
        var r = await Run(ServerFixture.CommissionerKey, "measure", "ascof_2a2", "--period", "year", "--from", "2022-04-01", "--to", "2025-03-31",
            "--council", ServerFixture.Council, "--format", "csv");
        Assert.Equal(ExitCodes.Ok, r.Code);
        var rows = Csv(r);
        Assert.Equal(["2022/23", "2023/24", "2024/25"], rows.Select(x => x["period"]));
        using var client = server.Client(ServerFixture.CommissionerKey);
        var series = await client.GetMeasureSeriesAsync(new V1.MeasureSeriesRequest
        {
            Measure = "ascof_2a2", CouncilCode = ServerFixture.Council, Period = V1.Period.FinancialYear, FromDate = "2022-04-01", ToDate = "2025-03-31",
        });
        foreach (var (row, point) in rows.Zip(series.Groups.Single().Points))
        {
            var start = int.Parse(row["period"][..4]);
            Assert.Equal(OlderAdmissionsBetween($"{start}-04-01", $"{start + 1}-03-31").ToString(CultureInfo.InvariantCulture), row["numerator"]);
            Same(point.Denominator, row["denominator"], "denominator");
            Same(point.Value, row["value"], "value");
            Same(point.YtdValue, row["ytd_value"], "ytd_value");
        }
    }

    [Fact]
    public async Task Measure_with_a_breakdown_has_a_column_per_dimension_and_a_filter_keeps_only_its_values()
    {
        var r = await Run(ServerFixture.CommissionerKey, "measure", "ascof_2a2", "--period", "year", "--from", "2024-04-01", "--to", "2025-03-31",
            "--by", "setting", "--filter", "setting=nursing", "--format", "csv");
        Assert.Equal(ExitCodes.Ok, r.Code);
        var row = Assert.Single(Csv(r));
        Assert.Equal("nursing", row["setting"]);
        var expected = SampleRows.Of("admissions.csv").Count(a => a["setting"] == "nursing"
            && (a["age_at_admission"] == "" || int.Parse(a["age_at_admission"]) >= 65)
            && string.CompareOrdinal(a["admission_date"], "2024-04-01") >= 0 && string.CompareOrdinal(a["admission_date"], "2025-03-31") <= 0);
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), row["numerator"]);
    }

    [Fact]
    public async Task Performance_prints_the_scorecard_the_client_gets()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var report = await client.GetPerformanceAsync(new V1.PerformanceRequest
        {
            CouncilCode = ServerFixture.Council, FinancialYear = "2024/25", MonthsElapsed = 9,
        });
        var r = await Run(ServerFixture.CommissionerKey, "performance", "--fy", "2024/25", "--months", "9", "--format", "csv");
        Assert.Equal(ExitCodes.Ok, r.Code);
        var rows = Csv(r);
        Assert.Equal(report.Measures.Select(m => m.Measure.Name), rows.Select(x => x["measure"]));
        foreach (var (row, m) in rows.Zip(report.Measures))
        {
            // A ratio of two estimates (days per case, cost per hour) has no range.
            var i80 = m.YearEnd.Intervals.SingleOrDefault(i => i.Level == 80);
            var name = m.Measure.Name;
            Same(m.YtdValue, row["ytd"], $"{name} ytd");
            Same(m.YearEnd.Estimate, row["year_end"], $"{name} year_end");
            Same(i80?.Lower, row["low_80"], $"{name} low_80");
            Same(i80?.Upper, row["high_80"], $"{name} high_80");
            Assert.Equal(m.Target is null ? "" : Exact(m.Target.Target), row["target"]);
            Assert.Equal(m.Rag switch { V1.RagStatus.Green => "green", V1.RagStatus.Amber => "amber", V1.RagStatus.Red => "red", _ => "" }, row["rag"]);
            Assert.Equal(m.Benchmark is null || m.Benchmark.Quartile == 0 ? "" : m.Benchmark.Quartile.ToString(CultureInfo.InvariantCulture), row["quartile"]);
            Same(m.Benchmark?.ChangeToNextQuartile, row["to_next_quartile"], $"{name} to_next_quartile");
            Same(m.Target is null ? null : m.ProbabilityOfMeetingTarget, row["probability"], $"{name} probability");
        }

        var a = rows.Single(x => x["measure"] == "ascof_2a2");
        Assert.Equal("9", a["months"]);
    }

    [Fact]
    public async Task Performance_of_one_measure_as_a_table_shows_its_months_and_as_json_is_the_report()
    {
        var table = await Run(ServerFixture.CommissionerKey, "performance", "--measure", "ascof_2a2", "--fy", "2024/25", "--months", "9");
        Assert.Equal(ExitCodes.Ok, table.Code);
        Assert.Contains("E06009999 2024/25: data to ", table.Out);
        Assert.Contains("ascof_2a2: month by month", table.Out);
        var lines = table.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var monthHeader = lines.FindIndex(l => l.StartsWith("month "));
        Assert.True(monthHeader > 0, table.Out);
        Assert.Equal(["2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"],
            lines.Skip(monthHeader + 2).TakeWhile(l => l.Length > 0).Select(l => l[..7]));

        var json = await Run(ServerFixture.CommissionerKey, "performance", "--measure", "ascof_2a2", "--fy", "2024/25", "--months", "9", "--format", "json");
        Assert.Equal(ExitCodes.Ok, json.Code);
        var report = Json<V1.PerformanceReport>(json);
        var m = Assert.Single(report.Measures);
        // The notes follow the figures, one row per note.
        var notes = lines.FindIndex(l => l == "Notes");
        Assert.True(notes > monthHeader, table.Out);
        Assert.Equal(m.Notes.Count, lines.Skip(notes + 3).TakeWhile(l => l.StartsWith("ascof_2a2 ", StringComparison.Ordinal)).Count());
        Assert.Equal(OlderAdmissionsBetween("2024-04-01", "2024-12-31"), m.YtdNumerator);
        Assert.Equal(9, m.Months.Count);
    }

    [Fact]
    public async Task Targets_are_set_by_the_strategy_lead_and_listed_newest_first()
    {
        var denied = await Run(ServerFixture.CommissionerKey, "target", "set", "ascof_2a1", "--fy", "2025/26", "--target", "14", "--reason", "not mine");
        Assert.Equal(ExitCodes.Auth, denied.Code);

        var set = await Run(ServerFixture.StrategyKey, "target", "set", "ascof_2a1", "--fy", "2025/26", "--target", "14.5", "--amber-margin", "1.5",
            "--reason", "cabinet 12 March", "--format", "json");
        Assert.Equal(ExitCodes.Ok, set.Code);
        var target = Json<V1.MeasureTarget>(set);
        Assert.Equal(("ascof_2a1", "2025/26", 14.5, 1.5, "development strategy lead", "cabinet 12 March"),
            (target.Measure, target.FinancialYear, target.Target, target.AmberMargin, target.Author, target.Reason));

        var again = await Run(ServerFixture.StrategyKey, "target", "set", "ascof_2a1", "--fy", "2025/26", "--target", "13", "--reason", "re-based");
        Assert.Equal(ExitCodes.Ok, again.Code);
        Assert.Contains($"version {target.Version + 1}", again.Out);

        var list = await Run(ServerFixture.CommissionerKey, "target", "list", "--measure", "ascof_2a1", "--format", "csv");
        Assert.Equal(ExitCodes.Ok, list.Code);
        var rows = Csv(list).Where(x => x["fy"] == "2025/26").ToList();
        Assert.Equal([(target.Version + 1).ToString(CultureInfo.InvariantCulture), target.Version.ToString(CultureInfo.InvariantCulture)],
            rows.Take(2).Select(x => x["version"]));
        Assert.Equal(("13", "re-based"), (rows[0]["target"], rows[0]["reason"]));
    }

    [Theory]
    [InlineData("performance", "--months", "13")]
    [InlineData("performance", "--fy", "2024")]
    [InlineData("target", "set", "ascof_2a2", "--fy", "2025/26", "--target", "500")]
    [InlineData("target", "set", "ascof_2a2", "--fy", "2025/26", "--target", "many", "--reason", "x")]
    [InlineData("target")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var r = await Run(ServerFixture.StrategyKey, args);
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.StartsWith("error:", r.Err);
    }

    [Fact]
    public async Task An_unknown_measure_exits_2_with_the_servers_message()
    {
        var r = await Run(ServerFixture.CommissionerKey, "measure", "no_such_measure");
        Assert.Equal(ExitCodes.Usage, r.Code);
        Assert.Contains("no_such_measure", r.Err);
    }

    [Fact]
    public async Task Budget_prints_the_table_the_client_gets()
    {
        using var client = server.Client(ServerFixture.CommissionerKey);
        var expected = await client.GetBudgetOutturnAsync(new V1.BudgetOutturnRequest { CouncilCode = ServerFixture.Council });
        var r = await Run(ServerFixture.CommissionerKey, "budget", "--format", "json");
        Assert.Equal(ExitCodes.Ok, r.Code);
        Assert.Equal(expected, Json<V1.TableResponse>(r));
        var csv = await Run(ServerFixture.CommissionerKey, "budget", "--format", "csv");
        Assert.Equal(ExitCodes.Ok, csv.Code);
        Assert.Equal(expected.Rows.Count, Csv(csv).Count);
    }
}
