using System.Text.RegularExpressions;
using static Forecasting.SampleData.Tests.SampleFiles;

namespace Forecasting.SampleData.Tests;

/// <summary>The committed sample stays within the calibration figures of Domain/docs/calibration.md ("Planning domains").</summary>
[Trait("Category", "unit")]
public sealed class CalibrationTests
{
    private static readonly DateOnly Snapshot = new(2025, 3, 31);

    [Fact]
    public void Every_csv_header_matches_its_store_table()
    {
        // The planning tables (001), the performance tables (008), the prevalence tables (013) and the cost assumptions
        // (014); the sample has no strategy_targets (007, optional).
        var sql = string.Concat(new[] { "001_initial.sql", "008_performance_domains.sql", "013_prevalence.sql", "014_cost_assumptions.sql" }
            .Select(f => File.ReadAllText(Path.Combine(RepoRoot(), "src", "Forecasting.Store", "Migrations", f))));
        var tables = Regex.Matches(sql, @"CREATE TABLE (\w+) \((.*?)\n\);", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.Length > 0 && !l.StartsWith("--") && !l.StartsWith("PRIMARY KEY"))
                .Select(l => l.Split(' ')[0]).ToArray());
        var files = Directory.GetFiles(Harbridge, "*.csv").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        var expected = tables.Keys.Where(t => t is not "snapshots" and not "import_reports").Order().ToArray();
        Assert.Equal(expected, files);
        foreach (var table in expected)
            Assert.Equal(tables[table], Header(Harbridge, table!));
    }

    [Fact]
    public void Contacts_are_between_15000_and_22000_in_every_financial_year_with_Q4_the_busiest()
    {
        var dates = Column(Harbridge, "contacts", "contact_date").Select(Date).ToList();
        for (var fy = 2015; fy <= 2024; fy++)
        {
            var inYear = dates.Where(d => FyOf(d) == fy).ToList();
            Assert.InRange(inYear.Count, 15_000, 22_000);
            var byQuarter = inYear.GroupBy(d => (d.Month + 8) % 12 / 3).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(3, byQuarter.MaxBy(q => q.Value).Key);
        }
    }

    [Fact]
    public void Older_peoples_admissions_in_2023_24_are_between_230_and_320()
    {
        var count = Rows("admissions").Count(r => FyOf(Date(r["admission_date"])) == 2023 && int.Parse(r["age_at_admission"]) >= 65);
        Assert.InRange(count, 230, 320);
    }

    [Fact]
    public void Working_age_admissions_are_between_25_and_50_a_year()
    {
        var perYear = Rows("admissions").Where(r => Date(r["admission_date"]) >= new DateOnly(2015, 4, 1) && int.Parse(r["age_at_admission"]) < 65)
            .GroupBy(r => FyOf(Date(r["admission_date"]))).ToDictionary(g => g.Key, g => g.Count());
        for (var fy = 2015; fy <= 2024; fy++) Assert.InRange(perYear.GetValueOrDefault(fy), 25, 50);
    }

    [Fact]
    public void Leavers_leave_after_their_admission_and_by_the_end_of_the_history()
    {
        var admitted = Rows("admissions").ToDictionary(r => r["admission_id"], r => Date(r["admission_date"]));
        foreach (var leaver in Rows("leavers"))
        {
            var leave = Date(leaver["leave_date"]);
            Assert.True(leave > admitted[leaver["admission_id"]], leaver["admission_id"]);
            Assert.True(leave <= Snapshot);
        }
    }

    [Fact]
    public void People_with_learning_disability_or_mental_health_in_residential_care_match_the_calibration()
    {
        var left = Rows("leavers").ToDictionary(r => r["admission_id"], r => Date(r["leave_date"]));
        var stock = Rows("admissions")
            .Where(r => !left.TryGetValue(r["admission_id"], out var l) || l > Snapshot)
            .GroupBy(r => r["psr"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(stock["learning_disability"], 165, 185);
        Assert.InRange(stock["mental_health"], 140, 160);
    }

    [Fact]
    public void Every_unit_belongs_to_an_existing_scheme_and_the_stock_is_698_units_in_112_schemes()
    {
        var schemes = Rows("schemes").ToDictionary(r => r["scheme_id"]);
        var units = Rows("units");
        Assert.All(units, u => Assert.True(schemes.ContainsKey(u["scheme_id"]), u["unit_id"]));
        Assert.Equal(112, schemes.Count);
        Assert.Equal(698, units.Count);
        Assert.Equal(622, units.Count(u => schemes[u["scheme_id"]]["in_area"] == "true"));
        var byCategory = units.GroupBy(u => schemes[u["scheme_id"]]["category"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(381, byCategory["supported_living"]);
        Assert.Equal(147, byCategory["shared_house"]);
        Assert.Equal(170, byCategory["extra_care"]);
    }

    [Fact]
    public void Unit_status_periods_are_contiguous_and_occupancy_is_near_90_percent()
    {
        var units = Rows("units").Select(u => u["unit_id"]).ToHashSet();
        var periods = Rows("unit_status").GroupBy(r => r["unit_id"]).ToList();
        Assert.Equal(units.Count, periods.Count);
        foreach (var unit in periods)
        {
            var list = unit.ToList();
            for (var i = 1; i < list.Count; i++) Assert.Equal(list[i - 1]["valid_to"], list[i]["valid_from"]);
            Assert.Equal("", list[^1]["valid_to"]);
        }
        var current = periods.Select(p => p.Last()["status"]).ToList();
        var occupancy = current.Count(s => s == "occupied") / (double)current.Count;
        Assert.InRange(occupancy, 0.85, 0.95);
        Assert.Contains("offline", current);
    }

    [Fact]
    public void Waiting_list_has_109_open_entries_at_31_March_2025()
    {
        var open = Rows("waiting_list").Count(r => Date(r["date_added"]) <= Snapshot
            && (r["date_removed"] == "" || Date(r["date_removed"]) > Snapshot));
        Assert.Equal(109, open);
    }

    [Fact]
    public void Pipeline_uses_every_status_and_the_delivered_schemes_total_56_units()
    {
        var pipeline = Rows("pipeline");
        Assert.Equal(new[] { "confirmed", "delivered", "failed", "identified", "in_discussion", "in_procurement", "reasonable_confidence" },
            pipeline.Select(r => r["status"]).Distinct().Order().ToArray());
        Assert.Equal(56, pipeline.Where(r => r["status"] == "delivered").Sum(r => int.Parse(r["units"])));
        Assert.Equal(155, pipeline.Where(r => r["status"] == "failed").Sum(r => int.Parse(r["units"])));
    }

    [Fact]
    public void About_70_young_people_turn_18_in_the_next_four_years()
    {
        var next4 = Rows("transitions").Count(r => FyOf(Date(r["date_of_birth"]).AddYears(18)) is >= 2025 and <= 2028);
        Assert.InRange(next4, 60, 80);
    }

    [Fact]
    public void Strategy_has_two_versions_with_551_and_467_units()
    {
        var phases = Rows("strategy_phases");
        Assert.Equal(551, phases.Where(r => r["version"] == "1").Sum(r => int.Parse(r["unit_target"])));
        Assert.Equal(467, phases.Where(r => r["version"] == "2").Sum(r => int.Parse(r["unit_target"])));
        Assert.All(Rows("strategies"), r => Assert.Matches(@"^\d{4}/\d{2}$", r["start_fy"]));
    }
}
