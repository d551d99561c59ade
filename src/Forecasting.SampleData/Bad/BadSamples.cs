using System.Text;
using Forecasting.SampleData.Domains;
using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Bad;

/// <summary>One expected import finding: file, line (the header is line 1), column, the offending value and why.</summary>
public sealed record Expectation(string Severity, string File, int Line, string Column, string Value, string Reason);

/// <summary>
/// Small datasets for importer tests. Each case is a directory holding every table of a tiny valid
/// Harbridge dataset with exactly one defect (or, for <c>warnings</c>, only suspicious-but-valid
/// rows), so an importer can be checked for the exact finding it reports.
/// </summary>
public static class BadSamples
{
    private sealed record Case(string Directory, string Summary, Func<Dictionary<string, CsvTable>, Expectation[]> Apply, bool Performance = false,
        bool Prevalence = false);

    /// <summary>The as-of date the performance cases are checked at (a status 91 days after discharge depends on it).</summary>
    public static readonly DateOnly PerformanceAsOf = new(2025, 3, 31);

    private static readonly Case[] Cases =
    {
        new("duplicate_contact_id", "contact_id repeated within contacts.csv", t => new[]
        {
            Set(t, "contacts.csv", 3, "contact_id", "C0000002", "error",
                "duplicate contact_id C0000002: already used on line 3 (primary key council_code, contact_id)"),
        }),
        new("unknown_route", "route outside the allowed codes", t => new[]
        {
            Set(t, "contacts.csv", 2, "route", "walk_in", "error",
                "unknown route 'walk_in'; allowed: community, hospital_discharge, hospital_diversion, transition, prison"),
        }),
        new("unparseable_date", "a date not in ISO yyyy-MM-dd form", t => new[]
        {
            Set(t, "contacts.csv", 4, "contact_date", "31/01/2025", "error",
                "unparseable date '31/01/2025'; dates must be ISO yyyy-MM-dd"),
        }),
        new("negative_age", "a negative age at admission", t => new[]
        {
            Set(t, "admissions.csv", 1, "age_at_admission", "-3", "error",
                "age_at_admission -3 is negative; an age must be between 0 and 120"),
        }),
        new("unknown_scheme", "a unit whose scheme does not exist", t => new[]
        {
            Append(t, "units.csv", "scheme_id", "S999", "error",
                "scheme_id S999 does not exist in schemes.csv", Council.Code, "S999-U01", "S999"),
        }),
        new("leaver_before_admission", "a leaver dated before the admission it ends", t => new[]
        {
            Set(t, "leavers.csv", 0, "leave_date", "2019-05-20", "error",
                "leave_date 2019-05-20 is before the admission_date 2019-06-03 of admission A000001"),
        }),
        new("likelihood_out_of_range", "a transition likelihood above 1", t => new[]
        {
            Set(t, "transitions.csv", 1, "likelihood", "1.7", "error",
                "likelihood 1.7 is outside 0-1"),
        }),
        new("bad_fy_label", "a financial-year label whose second year is not the next year", t => new[]
        {
            Set(t, "strategies.csv", 0, "start_fy", "2024/26", "error",
                "'2024/26' is not a financial-year label: after 2024 the label must read 2024/25"),
        }),
        new("implausible_date", "a contact dated long before any plausible extract", t => new[]
        {
            Set(t, "contacts.csv", 2, "contact_date", "1800-01-01", "error",
                "contact_date 1800-01-01 is implausible: contacts are dated from 1990-01-01 to one year after the import date"),
        }),
        new("fractional_integer", "a fraction in an integer column (would otherwise be rounded)", t => new[]
        {
            Set(t, "admissions.csv", 2, "age_at_admission", "70.6", "error",
                "age_at_admission 70.6 is not a whole number"),
        }),
        new("nan_likelihood", "a likelihood that is not a number", t => new[]
        {
            Set(t, "transitions.csv", 0, "likelihood", "NaN", "error",
                "likelihood NaN is not a number"),
        }),
        new("short_date", "a date without leading zeros", t => new[]
        {
            Set(t, "waiting_list.csv", 1, "date_added", "2023-2-5", "error",
                "date_added '2023-2-5' is not in the form yyyy-MM-dd"),
        }),
        new("home_care_without_hours", "a home care service without its planned weekly hours", t => new[]
        {
            Set(t, "services.csv", 3, "planned_hours_per_week", "", "error",
                "home care needs its planned weekly hours (reported with the service_type, home_care)"),
        }, Performance: true),
        new("direct_payment_not_direct_payment_funded", "a direct payment service funded other than by direct payment", t => new[]
        {
            Set(t, "services.csv", 4, "funding", "council_managed", "error",
                "a direct payment service must be funded by direct payment"),
        }, Performance: true),
        new("unknown_service_type", "a service type outside the allowed codes", t => new[]
        {
            Set(t, "services.csv", 5, "service_type", "respite", "error",
                "unknown service_type 'respite'; allowed: home_care, residential, nursing, supported_living, extra_care, shared_lives, day_care, direct_payment, other_community"),
        }, Performance: true),
        new("assessment_outcome_without_completion", "an assessment outcome on a request that is not completed", t => new[]
        {
            Set(t, "assessments.csv", 2, "outcome", "eligible", "error",
                "outcome given for an assessment that is not completed"),
        }, Performance: true),
        new("support_start_not_eligible", "a support start date for a person the assessment did not find eligible", t => new[]
        {
            Set(t, "assessments.csv", 1, "support_start_date", "2024-10-25", "error",
                "support start date for an assessment that did not find the person eligible"),
        }, Performance: true),
        new("assessment_completed_before_received", "an assessment completed before the request was received (and never started)", t => new[]
        {
            Set(t, "assessments.csv", 1, "completed_date", "2024-10-11", "error",
                "completed_date 2024-10-11 is before the received_date 2024-10-14", ("start_date", ""), ("allocated_date", "")),
        }, Performance: true),
        new("status_91_days_too_early", "a reablement status 91 days after discharge recorded before 91 days have passed", t => new[]
        {
            Set(t, "reablement.csv", 1, "status_91_days", "at_home", "error",
                "status 91 days after discharge given before 91 days have passed: the episode ended 2025-01-13, so the 91 days end on 2025-04-14, after the as-of date 2025-03-31"),
        }, Performance: true),
        new("discharge_before_decision", "a hospital discharge dated before the decision that the person was ready to leave", t => new[]
        {
            Set(t, "discharges.csv", 1, "discharge_date", "2024-09-01", "error",
                "discharge_date 2024-09-01 is before the decision_date 2024-09-03"),
        }, Performance: true),
        new("dols_outcome_without_completion", "a DoLS outcome on an application that is not completed", t => new[]
        {
            Set(t, "dols.csv", 2, "outcome", "authorised", "error",
                "outcome given for an application that is not completed"),
        }, Performance: true),
        new("enquiry_end_without_start", "a section 42 enquiry end date without a start date", t => new[]
        {
            Set(t, "safeguarding.csv", 1, "enquiry_end_date", "2024-10-04", "error",
                "enquiry end date without an enquiry start date"),
        }, Performance: true),
        new("unknown_benchmark_measure", "a benchmark for a measure the catalogue does not define", t => new[]
        {
            Set(t, "benchmarks.csv", 2, "measure", "ascof_2x9", "error",
                "unknown measure 'ascof_2x9'; allowed: the measures of the catalogue (Analytics/MeasureCatalog.cs)"),
        }, Performance: true),
        new("quartile_code_not_boundary", "a quartile comparator whose code is not a quartile boundary", t => new[]
        {
            Set(t, "benchmarks.csv", 4, "comparator_code", "top_quartile", "error",
                "quartile boundary must be lower_quartile, median or upper_quartile"),
        }, Performance: true),
        new("prevalence_rate_above_its_unit", "a prevalence rate per 100 above 100", t => new[]
        {
            Set(t, "prevalence_rates.csv", 1, "rate", "230", "error",
                "a rate per 100 above 100 would be more people than the age band holds"),
        }, Prevalence: true),
        new("unknown_cost_setting", "a cost assumption for a setting the cost model does not know", t =>
        {
            t["cost_assumptions.csv"] = new CsvTable("cost_assumptions.csv", "council_code", "setting", "client_group", "weekly_cost", "source", "valid_from");
            t["cost_assumptions.csv"].Add(Council.Code, "inpatient", "all", "3850.00", "stated assumption", "2024-04-01");
            return new[]
            {
                Append(t, "cost_assumptions.csv", "setting", "hotel", "error",
                    "unknown setting 'hotel'; allowed: supported_living, extra_care, shared_lives, residential, nursing, home_care, out_of_area, inpatient, temporary_accommodation, displaced",
                    Council.Code, "hotel", "all", "350.00", "stated assumption", "2024-04-01"),
            };
        }),
        new("warnings", "suspicious but valid rows: the import succeeds and reports warnings", t => new[]
        {
            Append(t, "contacts.csv", "contact_date", "2025-06-15", "warning",
                "contact dated 2025-06-15, after the latest other contact (2025-03-24): a future or mistyped date",
                Council.Code, "C0000007", "2025-06-15", "community", "phone", "75-84", "physical_support", "HBC01",
                "information_advice", "false"),
            Set(t, "contacts.csv", 1, "psr", "", "warning",
                "psr not specified (NULL); with lines 4, 5 and 6, 4 of 7 contacts (57%) have no PSR, well above the 13-22% usually seen"),
            Set(t, "contacts.csv", 2, "psr", "", "warning", "psr not specified (NULL)"),
            Set(t, "contacts.csv", 3, "psr", "", "warning", "psr not specified (NULL)"),
            Set(t, "contacts.csv", 5, "locality", "HBC06", "warning",
                "locality HBC06 was retired on 2020-04-01 (replaced_by HBC08) but the contact is dated 2025-03-24"),
            Set(t, "admissions.csv", 1, "age_at_admission", "107", "warning",
                "age_at_admission 107 is valid but unusually high"),
        }),
    };

    public static IReadOnlyList<string> Write(string directory)
    {
        var written = new List<string>();
        var readme = new StringBuilder();
        readme.Append(ReadmeHeader);
        foreach (var c in Cases)
        {
            var tables = Baseline(c.Performance, c.Prevalence);
            var expectations = c.Apply(tables);
            var caseDir = Path.Combine(directory, c.Directory);
            foreach (var table in tables.Values) written.Add(table.WriteTo(caseDir));

            readme.Append($"\n## `{c.Directory}/`: {c.Summary}\n\n");
            if (c.Performance)
                readme.Append($"Holds the performance tables too (services.csv to measure_targets.csv); checked at the as-of date {Fmt.D(PerformanceAsOf)}.\n\n");
            if (c.Prevalence)
                readme.Append("Holds the prevalence tables too (prevalence_rates.csv and accommodation_benchmarks.csv).\n\n");
            readme.Append("| severity | file | line | column | value | expected finding |\n|---|---|---|---|---|---|\n");
            foreach (var e in expectations)
                readme.Append($"| {e.Severity} | {e.File} | {e.Line} | {e.Column} | `{(e.Value == "" ? "(empty)" : e.Value)}` | {e.Reason} |\n");
        }
        Directory.CreateDirectory(directory);
        var readmePath = Path.Combine(directory, "README.md");
        File.WriteAllText(readmePath, readme.ToString(), new UTF8Encoding(false));
        written.Add(readmePath);
        return written;
    }

    private const string ReadmeHeader = """
        # Bad samples for importer tests

        Generated by `src/Forecasting.SampleData` (`--bad-out data-samples/bad`); do not edit by hand.

        Each directory below is a complete dataset: one CSV per store table (same columns and conventions
        as `data-samples/harbridge`), holding a tiny valid Harbridge dataset (council E06009999) with
        exactly one defect. An importer must reject every `error` case as a whole (nothing loaded) and
        report the finding with the file, line, column and reason below; the `warnings` case is valid,
        must load, and must report each warning.

        The cases of the performance tables (services.csv to measure_targets.csv, all optional) hold those
        tables too and are checked at the as-of date stated in their section (a status 91 days after
        discharge depends on it); the other cases leave the optional tables out.

        Line numbers count the header as line 1, so the first data row is line 2.

        """;

    /// <summary>Sets one cell (the defect) and, to keep the row otherwise valid, any <paramref name="alsoSet"/> cells of the same row.</summary>
    private static Expectation Set(Dictionary<string, CsvTable> tables, string file, int dataRow, string column, string value,
        string severity, string reason, params (string Column, string Value)[] alsoSet)
    {
        var table = tables[file];
        table.Rows[dataRow][IndexOf(table, column)] = value;
        foreach (var (other, otherValue) in alsoSet) table.Rows[dataRow][IndexOf(table, other)] = otherValue;
        return new Expectation(severity, file, dataRow + 2, column, value, reason);
    }

    private static Expectation Append(Dictionary<string, CsvTable> tables, string file, string column, string value,
        string severity, string reason, params string?[] row)
    {
        var table = tables[file];
        table.Add(row);
        return new Expectation(severity, file, table.Rows.Count + 1, column, value, reason);
    }

    private static int IndexOf(CsvTable table, string column)
    {
        for (var i = 0; i < table.Columns.Count; i++)
            if (table.Columns[i] == column) return i;
        throw new ArgumentException($"{table.FileName} has no column {column}");
    }

    /// <summary>A tiny, valid and internally consistent dataset covering every table.</summary>
    private static Dictionary<string, CsvTable> Baseline(bool performance = false, bool prevalence = false)
    {
        const string cc = Council.Code;
        var tables = new List<CsvTable>();
        CsvTable T(string file, params string[] columns)
        {
            var t = new CsvTable(file, columns);
            tables.Add(t);
            return t;
        }

        T("councils.csv", "council_code", "name", "region").Add(cc, Council.Name, Council.Region);

        var localities = T("localities.csv", "council_code", "locality_code", "name", "valid_from", "valid_to", "replaced_by");
        localities.Add(cc, "HBC01", "Harbridge Central", "1997-04-01", null, null);
        localities.Add(cc, "HBC02", "Northfield", "1997-04-01", null, null);
        localities.Add(cc, "HBC06", "Riverside", "1997-04-01", "2020-04-01", "HBC08");
        localities.Add(cc, "HBC08", "Riverside and Abbey Park", "2020-04-01", null, null);

        var contacts = T("contacts.csv", "council_code", "contact_id", "contact_date", "route", "channel", "age_band", "psr", "locality",
            "outcome", "repeat_within_12m");
        contacts.Add(cc, "C0000001", "2024-04-02", "community", "phone", "85+", "physical_support", "HBC01", "information_advice", "false");
        contacts.Add(cc, "C0000002", "2024-07-15", "hospital_discharge", "professional_referral", "75-84", "memory_and_cognition", "HBC08", "short_term_support", "false");
        contacts.Add(cc, "C0000003", "2024-10-01", "community", "online", "25-64", "mental_health", "HBC02", "no_further_action", "true");
        contacts.Add(cc, "C0000004", "2025-01-09", "transition", "professional_referral", "18-24", "learning_disability", "HBC02", "long_term_support", "false");
        contacts.Add(cc, "C0000005", "2025-02-20", "community", "email", "65-74", null, "HBC08", "ongoing_low_level", "false");
        contacts.Add(cc, "C0000006", "2025-03-24", "community", "phone", "75-84", "sensory_support", "HBC01", "information_advice", "false");

        var admissions = T("admissions.csv", "council_code", "admission_id", "person_id", "admission_date", "setting", "age_at_admission",
            "psr", "locality", "funding", "source", "step_down_candidate");
        admissions.Add(cc, "A000001", "R000001", "2019-06-03", "residential", "86", "physical_support", "HBC06", "council", "hospital", "false");
        admissions.Add(cc, "A000002", "R000002", "2023-01-16", "nursing", "91", "memory_and_cognition", "HBC08", "former_self_funder", "hospital", "false");
        admissions.Add(cc, "A000003", "R000003", "2024-11-05", "residential", "45", "learning_disability", "HBC02", "council", "community", "true");

        T("leavers.csv", "council_code", "admission_id", "leave_date", "reason").Add(cc, "A000001", "2024-02-10", "deceased");

        var transitions = T("transitions.csv", "council_code", "young_person_id", "date_of_birth", "primary_need", "predicted_setting",
            "locality", "out_of_area", "likelihood", "recorded_date");
        transitions.Add(cc, "YP0001", "2007-09-14", "learning_disability", "supported_living", "HBC01", "false", "0.85", "2025-03-10");
        transitions.Add(cc, "YP0002", "2009-02-03", "pmld", "residential", "HBC08", "true", "0.97", "2025-03-10");

        var schemes = T("schemes.csv", "council_code", "scheme_id", "name", "category", "client_group", "locality", "in_area", "owner",
            "provider", "design", "opened_date", "decommission_date");
        schemes.Add(cc, "S001", "Alder Court", "supported_living", "ld_autism", "HBC01", "true", "rsl", "Brookfield Support", "self_contained", "2012-05-14", null);
        schemes.Add(cc, "S002", "14 Church Lane, Ashby Vale", "shared_house", "mental_health", null, "false", "private", "Northgate Care", "shared", "2016-09-05", null);

        var units = T("units.csv", "council_code", "unit_id", "scheme_id");
        units.Add(cc, "S001-U01", "S001");
        units.Add(cc, "S001-U02", "S001");
        units.Add(cc, "S002-U01", "S002");

        var status = T("unit_status.csv", "council_code", "unit_id", "status", "valid_from", "valid_to");
        status.Add(cc, "S001-U01", "void", "2012-05-14", "2012-06-18");
        status.Add(cc, "S001-U01", "occupied", "2012-06-18", null);
        status.Add(cc, "S001-U02", "void", "2012-05-14", "2012-07-02");
        status.Add(cc, "S001-U02", "occupied", "2012-07-02", "2024-08-30");
        status.Add(cc, "S001-U02", "void", "2024-08-30", null);
        status.Add(cc, "S002-U01", "void", "2016-09-05", "2016-10-10");
        status.Add(cc, "S002-U01", "occupied", "2016-10-10", null);

        var tenancies = T("tenancies.csv", "council_code", "tenancy_id", "unit_id", "person_id", "start_date", "end_date", "end_reason");
        tenancies.Add(cc, "TN000001", "S001-U01", "T000001", "2012-06-18", null, null);
        tenancies.Add(cc, "TN000002", "S001-U02", "T000002", "2012-07-02", "2024-08-30", "moved_on");
        tenancies.Add(cc, "TN000003", "S002-U01", "T000003", "2016-10-10", null, null);

        T("pipeline.csv", "council_code", "pipeline_id", "name", "units", "category", "client_group", "design", "in_area", "expected_date",
                "strategy_phase", "status", "status_date")
            .Add(cc, "PL01", "Carrow Street", "14", "supported_living", "ld_autism", "self_contained", "true", "2025-06-30", "Phase 1", "confirmed", "2025-03-14");

        var waiting = T("waiting_list.csv", "council_code", "person_id", "date_added", "client_group", "preference", "age_band",
            "date_removed", "removal_reason");
        waiting.Add(cc, "W00001", "2024-05-07", "ld_autism", "self_contained", "21-24", null, null);
        waiting.Add(cc, "W00002", "2023-11-20", "mental_health", "shared", "25-64", "2024-06-03", "withdrawn");

        T("accommodation_needs.csv", "council_code", "person_id", "cohort", "client_group", "date_identified", "needed_by", "date_met")
            .Add(cc, "IP0001", "inpatient", "ld_autism", "2024-09-02", "2025-06-30", null);

        var population = T("population.csv", "council_code", "year", "age_band", "variant", "source", "population");
        foreach (var (band, value) in new[] { ("0-17", "76010"), ("18-24", "44650"), ("25-64", "183540"), ("65-74", "22830"), ("75-84", "15090"), ("85+", "6030") })
            population.Add(cc, "2024", band, "estimate", PopulationGenerator.EstimateSource, value);

        T("strategies.csv", "council_code", "strategy_id", "version", "name", "start_fy", "end_fy", "client_group", "created_at", "author", "reason")
            .Add(cc, "sl-2024", "1", "Supported living accommodation strategy", "2024/25", "2030/31", null, "2024-09-10 14:30:00",
                "R. Okafor", "Test strategy");
        var phases = T("strategy_phases.csv", "council_code", "strategy_id", "version", "phase", "start_fy", "end_fy", "unit_target");
        phases.Add(cc, "sl-2024", "1", "Phase 1", "2024/25", "2025/26", "96");
        phases.Add(cc, "sl-2024", "1", "Phase 2", "2026/27", "2030/31", "371");

        if (performance) AddPerformanceTables(T);
        if (prevalence)
        {
            tables.Add(PrevalenceGenerator.RatesTable());
            tables.Add(PrevalenceGenerator.BenchmarksTable());
        }

        return tables.ToDictionary(t => t.FileName);
    }

    /// <summary>
    /// The optional performance tables, tiny and consistent with the baseline: the care-home services are the baseline's
    /// admissions (R000001 left on its leave date), the supported-living service is tenant T000001's tenancy, the
    /// pathway 1 discharge is the start of reablement episode RE000001, and every review is of a person in services.csv.
    /// </summary>
    private static void AddPerformanceTables(Func<string, string[], CsvTable> T)
    {
        const string cc = Council.Code;
        var services = T("services.csv", new[] { "council_code", "service_id", "person_id", "service_type", "start_date", "end_date",
            "planned_hours_per_week", "weekly_cost", "funding", "psr", "age_band", "accommodation_status", "locality" });
        services.Add(cc, "SV000001", "R000001", "residential", "2019-06-03", "2024-02-10", null, "760.00", "council_managed", "physical_support", "85+", null, "HBC06");
        services.Add(cc, "SV000002", "R000002", "nursing", "2023-01-16", null, null, "1012.40", "joint_nhs", "memory_and_cognition", "85+", null, "HBC08");
        services.Add(cc, "SV000003", "R000003", "residential", "2024-11-05", null, null, "846.00", "council_managed", "learning_disability", "25-64", "residential", "HBC02");
        services.Add(cc, "SV000004", "P000001", "home_care", "2023-05-02", null, "10.50", "141.75", "council_managed", "physical_support", "75-84", null, "HBC01");
        services.Add(cc, "SV000005", "P000002", "direct_payment", "2024-06-10", null, null, "320.00", "direct_payment", "mental_health", "25-64", null, "HBC08");
        services.Add(cc, "SV000006", "P000003", "day_care", "2021-09-01", null, null, "210.00", "individual_service_fund", "learning_disability", "18-24", "own_home_or_family", "HBC02");
        services.Add(cc, "SV000007", "T000001", "supported_living", "2012-06-18", null, null, "1480.00", "direct_payment", "learning_disability", "25-64", "supported_living", "HBC01");

        var assessments = T("assessments.csv", new[] { "council_code", "assessment_id", "person_id", "received_date", "allocated_date", "start_date",
            "completed_date", "outcome", "support_start_date", "priority", "age_band", "psr" });
        assessments.Add(cc, "AS000001", "AP000001", "2024-03-04", "2024-03-06", "2024-03-08", "2024-03-27", "eligible", "2024-04-08", "standard", "75-84", "physical_support");
        assessments.Add(cc, "AS000002", "AP000002", "2024-10-14", "2024-10-14", "2024-10-15", "2024-10-18", "not_eligible", null, "urgent", "65-74", "mental_health");
        assessments.Add(cc, "AS000003", "AP000003", "2025-02-17", null, null, null, null, null, "high", "85+", "memory_and_cognition");

        var reviews = T("reviews.csv", new[] { "council_code", "review_id", "person_id", "due_date", "completed_date" });
        reviews.Add(cc, "RV000001", "P000001", "2023-06-27", "2023-07-05");
        reviews.Add(cc, "RV000002", "P000001", "2024-05-02", "2024-05-20");
        reviews.Add(cc, "RV000003", "T000001", "2024-06-18", null);
        reviews.Add(cc, "RV000004", "R000002", "2025-01-16", "2025-01-30");

        var reablement = T("reablement.csv", new[] { "council_code", "episode_id", "person_id", "start_date", "end_date", "source", "age_band",
            "outcome", "status_91_days" });
        reablement.Add(cc, "RE000001", "H000001", "2024-06-03", "2024-07-08", "hospital_discharge", "75-84", "no_further_support", "at_home");
        reablement.Add(cc, "RE000002", "H000002", "2024-12-02", "2025-01-13", "hospital_discharge", "65-74", "ongoing_low_level", null);
        reablement.Add(cc, "RE000003", "H000003", "2025-03-17", null, "community", "85+", null, null);

        var discharges = T("discharges.csv", new[] { "council_code", "discharge_id", "person_id", "referral_date", "decision_date", "discharge_date",
            "pathway", "age_band" });
        discharges.Add(cc, "DC000001", "H000001", "2024-05-29", "2024-05-31", "2024-06-03", "1", "75-84");
        discharges.Add(cc, "DC000002", "D000001", "2024-09-02", "2024-09-03", "2024-09-03", "0", "65-74");
        discharges.Add(cc, "DC000003", "D000002", "2025-03-27", "2025-03-28", null, "2", "85+");

        var dols = T("dols.csv", new[] { "council_code", "application_id", "person_id", "received_date", "allocated_date", "completed_date", "outcome", "age_band" });
        dols.Add(cc, "DL000001", "DP000001", "2024-04-08", "2024-06-20", "2024-07-15", "authorised", "85+");
        dols.Add(cc, "DL000002", "DP000002", "2024-11-25", null, "2025-01-10", "withdrawn", "75-84");
        dols.Add(cc, "DL000003", "DP000003", "2025-01-13", null, null, null, "85+");

        var safeguarding = T("safeguarding.csv", new[] { "council_code", "concern_id", "person_id", "concern_date", "enquiry_start_date",
            "enquiry_end_date", "risk_outcome", "age_band" });
        safeguarding.Add(cc, "SG000001", "SP000001", "2024-05-13", "2024-05-16", "2024-07-01", "reduced", "85+");
        safeguarding.Add(cc, "SG000002", "SP000002", "2024-08-19", null, null, null, "25-64");
        safeguarding.Add(cc, "SG000003", "SP000003", "2025-02-03", "2025-02-05", null, null, "75-84");

        var budgets = T("budgets.csv", new[] { "council_code", "fy", "service_line", "budget", "outturn", "forecast_outturn" });
        budgets.Add(cc, "2024/25", "home_care", "12500000.00", "13100000.00", null);
        budgets.Add(cc, "2024/25", "residential", "21000000.00", "22400000.00", null);
        budgets.Add(cc, "2025/26", "home_care", "13400000.00", null, "13900000.00");

        const string source = "ASCOF 2024/25 (NHS England)";
        var benchmarks = T("benchmarks.csv", new[] { "council_code", "measure", "fy", "comparator_type", "comparator_code", "comparator_name", "value", "source" });
        benchmarks.Add(cc, "ascof_2a2", "2024/25", "council", "E06009001", "Ashworth City Council", "612.4", source);
        benchmarks.Add(cc, "ascof_2a2", "2024/25", "region", BenchmarkGenerator.RegionCode, BenchmarkGenerator.RegionName, "598.0", source);
        benchmarks.Add(cc, "ascof_2a2", "2024/25", "england", "england", "England", "558.0", source);
        benchmarks.Add(cc, "ascof_2a2", "2024/25", "quartile", "lower_quartile", "Lower quartile (England)", "476.0", source);
        benchmarks.Add(cc, "ascof_2a2", "2024/25", "quartile", "median", "Median (England)", "560.2", source);

        var targets = T("measure_targets.csv", new[] { "council_code", "measure", "fy", "version", "target", "amber_margin", "created_at", "author", "reason" });
        targets.Add(cc, "ascof_2a2", "2024/25", "1", "653.2", "32.66", "2024-03-12 09:30:00", BenchmarkGenerator.TargetAuthor, "Business plan 2024/25");
        targets.Add(cc, "waiting_for_assessment", "2024/25", "1", "350.0", "17.5", "2024-03-12 09:30:00", BenchmarkGenerator.TargetAuthor, "Business plan 2024/25");
        targets.Add(cc, "waiting_for_assessment", "2024/25", "2", "400.0", "20.0", "2024-10-08 14:00:00", BenchmarkGenerator.TargetAuthor, "Raised at Q2");
    }
}
