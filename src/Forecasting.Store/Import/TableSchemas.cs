using static Forecasting.Domain.Vocabulary;

namespace Forecasting.Store.Import;

public enum ColumnType { Text, Date, Timestamp, Integer, Double, Boolean, FinancialYear }

/// <summary>
/// The plausible range of a date column relative to the import's as-of date (the date the data run to,
/// stated by the caller or today, see <see cref="DataImporter.ResolveAsOf"/>). Dates outside it are errors:
/// one row dated 1800 or 9999 would otherwise stretch every series and projection across centuries, and one
/// recorded event dated after the as-of date would move every default answer.
/// </summary>
public enum DateWindow
{
    /// <summary>Recorded events (contacts, leavers, waiting list, status dates): 1990-01-01 to the as-of date.</summary>
    Event,
    /// <summary>Long-running records (admissions of long-stay residents, schemes, tenancies, unit periods, localities): 1950-01-01 to the as-of date.</summary>
    LongHistory,
    /// <summary>Planned dates (pipeline delivery, needed-by, decommissioning, locality retirement): 1990-01-01 to as-of + 15 years.</summary>
    Planned,
    /// <summary>Dates of birth: 1900-01-01 to the as-of date.</summary>
    Birth,
}

/// <summary>
/// One column of an importable table: its type, whether it is required, allowed values and range.
/// Decimals (<see cref="ColumnType.Double"/>) are plain digits with at most <paramref name="Precision"/>
/// significant digits, <paramref name="Scale"/> of them after the point.
/// </summary>
public sealed record ColumnSpec(
    string Name,
    ColumnType Type = ColumnType.Text,
    bool Required = true,
    IReadOnlyList<string>? Allowed = null,
    double? Min = null,
    double? Max = null,
    DateWindow Window = DateWindow.Event,
    int Precision = 18,
    int Scale = 6)
{
    public static (DateOnly From, DateOnly To) Bounds(DateWindow window, DateOnly asOf) => window switch
    {
        DateWindow.Event => (new DateOnly(1990, 1, 1), asOf),
        DateWindow.LongHistory => (new DateOnly(1950, 1, 1), asOf),
        DateWindow.Planned => (new DateOnly(1990, 1, 1), asOf.AddYears(15)),
        DateWindow.Birth => (new DateOnly(1900, 1, 1), asOf),
        _ => throw new ArgumentOutOfRangeException(nameof(window)),
    };
}

/// <summary>A row of this table must find a row of Target with the same council and key values.</summary>
public sealed record Reference(string[] Columns, string Target, string[] TargetColumns);

/// <summary>
/// A cross-row or cross-table rule as SQL over the typed staging table <c>stg</c> and the effective
/// tables <c>eff_&lt;name&gt;</c> (staged rows replacing the store's rows of the same council).
/// The query returns (__row, value) of every offending row; <c>{as_of}</c> stands for the import's as-of date.
/// </summary>
public sealed record RowCheck(string Column, string Reason, bool IsWarning, string Sql);

/// <summary>
/// One importable table. An <paramref name="Optional"/> table need not have a file in an extract or a sample
/// directory (strategy_targets: most strategies are targeted by their phases alone).
/// </summary>
public sealed record TableSpec(
    string Name,
    IReadOnlyList<ColumnSpec> Columns,
    string[] Key,
    string? DateColumn,
    IReadOnlyList<Reference> References,
    IReadOnlyList<RowCheck> Checks,
    string[]? ReplaceBy = null,
    bool Optional = false,
    string? FilledBy = null)
{
    /// <summary>A table no file fills directly: <see cref="FilledBy"/> names the import that derives it (the CLD submissions).</summary>
    public bool IsDerived => FilledBy is not null;

    /// <summary>
    /// Rows of the store replaced by an import: those sharing these columns' values with a row of the
    /// file. By council for data extracts; by version for strategies, so versions created through the
    /// API survive a re-import of the original strategy file.
    /// </summary>
    public string[] ReplaceScope => ReplaceBy ?? ["council_code"];

    public ColumnSpec? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>
/// The importable tables, in dependency order. This is the single description of what a valid
/// extract looks like; the store's DDL lives in Migrations/*.sql.
/// </summary>
public static class TableSchemas
{
    /// <summary>Stands for the import's as-of date in a <see cref="RowCheck"/>'s SQL.</summary>
    public const string AsOfToken = "{as_of}";

    private static ColumnSpec Council => new("council_code");
    private static ColumnSpec Date(string name, bool required = true, DateWindow window = DateWindow.Event) =>
        new(name, ColumnType.Date, required, Window: window);
    private static ColumnSpec LongDate(string name, bool required = true) => Date(name, required, DateWindow.LongHistory);
    private static ColumnSpec PlannedDate(string name, bool required = true) => Date(name, required, DateWindow.Planned);
    private static ColumnSpec Bool(string name) => new(name, ColumnType.Boolean);
    private static ColumnSpec Code(string name, IReadOnlyList<string> allowed, bool required = true) => new(name, Required: required, Allowed: allowed);
    private static ColumnSpec OptionalText(string name) => new(name, Required: false);

    private static Reference CouncilRef => new(["council_code"], "councils", ["council_code"]);

    private static RowCheck UnknownLocality(string column = "locality") => new(column, "unknown locality code", false, $"""
        SELECT s.__row, s.{column} FROM stg s
        WHERE s.{column} IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM eff_localities l WHERE l.council_code = s.council_code AND l.locality_code = s.{column})
        """);

    private static RowCheck RetiredLocality(string dateColumn, string column = "locality") => new(column,
        "locality code used after it was retired; analytics map it to its replacement", true, $"""
        SELECT s.__row, s.{column} || ' (retired ' || strftime(l.valid_to, '%Y-%m-%d') || coalesce(', replaced by ' || l.replaced_by, '') || ')'
        FROM stg s JOIN eff_localities l ON l.council_code = s.council_code AND l.locality_code = s.{column}
        WHERE l.valid_to IS NOT NULL AND s.{dateColumn} >= l.valid_to
        """);

    /// <summary>Days between an old date and the rest of a column's dates that make it an outlier (<see cref="OldOutlier"/>).</summary>
    public const int OutlierGapDays = 365;

    /// <summary>Largest share of a council's rows that can be outliers: a larger group before a gap is a real break in the history.</summary>
    public const double OutlierMaxShare = 0.01;

    /// <summary>
    /// An old outlier: a date followed, in the council's sorted dates of the column in the file, by a gap of more than
    /// <see cref="OutlierGapDays"/> days, where the rows before the latest such gap are at most <see cref="OutlierMaxShare"/>
    /// of the council's rows (a contact on 1990-01-01 before a history starting in 2015). A warning: the row is kept and
    /// counted, so it lengthens every series that starts at the first date.
    /// </summary>
    private static RowCheck OldOutlier(string column) => new(column,
        $"date is over {OutlierGapDays} days before the rest of the council's dates in the file: an old or mistyped date that stretches the series back", true, $"""
        WITH dates AS (SELECT council_code, {column} AS d, lead({column}) OVER (PARTITION BY council_code ORDER BY {column}) AS next
                       FROM (SELECT DISTINCT council_code, {column} FROM stg WHERE {column} IS NOT NULL)),
             starts AS (SELECT council_code, max(next) AS history_start FROM dates WHERE next > d + INTERVAL {OutlierGapDays} DAY GROUP BY ALL),
             shares AS (SELECT st.council_code, st.history_start FROM starts st JOIN stg s ON s.council_code = st.council_code
                        GROUP BY ALL HAVING count(*) FILTER (WHERE s.{column} < st.history_start) <= {OutlierMaxShare.ToString(System.Globalization.CultureInfo.InvariantCulture)} * count(*))
        SELECT s.__row, strftime(s.{column}, '%Y-%m-%d') || ' (the rest start ' || strftime(sh.history_start, '%Y-%m-%d') || ')'
        FROM stg s JOIN shares sh ON sh.council_code = s.council_code WHERE s.{column} < sh.history_start
        """);

    /// <summary>
    /// For dense daily events (contacts arrive every working day) a last date far beyond every
    /// other one is almost always a typing slip, even when it is not in the future.
    /// </summary>
    private static RowCheck IsolatedLastDate(string column) => new(column,
        "date is over 60 days after every other date in the file: a future or mistyped date", true, $"""
        WITH top AS (SELECT arg_max(__row, {column}) AS top_row, max({column}) AS top_date FROM stg),
             runner_up AS (SELECT max(s.{column}) AS second_date FROM stg s, top WHERE s.__row <> top.top_row)
        SELECT top.top_row, strftime(top.top_date, '%Y-%m-%d') FROM top, runner_up
        WHERE top.top_date > runner_up.second_date + INTERVAL 60 DAY AND top.top_date <= {AsOfToken}
        """);

    /// <summary>The measures a benchmark or target may name: the catalogue's.</summary>
    private static IReadOnlyList<string> MeasureNames => Analytics.MeasureCatalog.Names;

    private static RowCheck EndBeforeStart(string start, string end) => new(end, $"{end} is before {start}", false, $"""
        SELECT s.__row, strftime(s.{end}, '%Y-%m-%d') FROM stg s WHERE s.{end} < s.{start}
        """);

    public static readonly IReadOnlyList<TableSpec> All =
    [
        new("councils", [Council, new("name"), new("region")], ["council_code"], null, [], []),

        new("localities",
            [Council, new("locality_code"), new("name"), LongDate("valid_from"), PlannedDate("valid_to", false), OptionalText("replaced_by")],
            ["council_code", "locality_code"], null, [CouncilRef],
            [EndBeforeStart("valid_from", "valid_to"), UnknownLocality("replaced_by")]),

        new("contacts",
            [Council, new("contact_id"), Date("contact_date"), Code("route", Routes), Code("channel", Channels),
             Code("age_band", AgeBands, false), Code("psr", PrimarySupportReasons, false), OptionalText("locality"),
             Code("outcome", Outcomes), Bool("repeat_within_12m")],
            ["council_code", "contact_id"], "contact_date", [CouncilRef],
            [UnknownLocality(), RetiredLocality("contact_date"), IsolatedLastDate("contact_date")]),

        new("admissions",
            [Council, new("admission_id"), new("person_id"), LongDate("admission_date"), Code("setting", Settings),
             new("age_at_admission", ColumnType.Integer, Min: 18, Max: 120), Code("psr", PrimarySupportReasons, false),
             OptionalText("locality"), Code("funding", Fundings), Code("source", AdmissionSources), Bool("step_down_candidate")],
            ["council_code", "admission_id"], "admission_date", [CouncilRef],
            [UnknownLocality(), RetiredLocality("admission_date"),
             new("age_at_admission", "age over 105 at admission", true,
                 "SELECT s.__row, CAST(s.age_at_admission AS VARCHAR) FROM stg s WHERE s.age_at_admission > 105")]),

        new("leavers",
            [Council, new("admission_id"), Date("leave_date"), Code("reason", LeaveReasons)],
            ["council_code", "admission_id"], "leave_date",
            [CouncilRef, new(["admission_id"], "admissions", ["admission_id"])],
            [new("leave_date", "leave_date is before the admission_date", false, """
                SELECT s.__row, strftime(s.leave_date, '%Y-%m-%d') || ' < ' || strftime(a.admission_date, '%Y-%m-%d')
                FROM stg s JOIN eff_admissions a ON a.council_code = s.council_code AND a.admission_id = s.admission_id
                WHERE s.leave_date < a.admission_date
                """)]),

        new("transitions",
            [Council, new("young_person_id"), Date("date_of_birth", window: DateWindow.Birth), Code("primary_need", PrimaryNeeds),
             Code("predicted_setting", PredictedSettings), OptionalText("locality"), Bool("out_of_area"),
             new("likelihood", ColumnType.Double, Min: 0, Max: 1, Precision: 5, Scale: 4), Date("recorded_date")],
            ["council_code", "young_person_id"], "date_of_birth", [CouncilRef],
            [UnknownLocality(),
             new("date_of_birth", "date_of_birth is after the recorded_date", false, """
                SELECT s.__row, strftime(s.date_of_birth, '%Y-%m-%d') || ' > ' || strftime(s.recorded_date, '%Y-%m-%d') FROM stg s
                WHERE s.date_of_birth > s.recorded_date
                """),
             new("date_of_birth", "young person is over 25 at the recorded date", true, """
                SELECT s.__row, strftime(s.date_of_birth, '%Y-%m-%d') FROM stg s
                WHERE date_diff('year', s.date_of_birth, s.recorded_date) > 25
                """)]),

        new("schemes",
            [Council, new("scheme_id"), new("name"), Code("category", SchemeCategories), Code("client_group", ClientGroups),
             OptionalText("locality"), Bool("in_area"), Code("owner", Owners), new("provider"), Code("design", Designs),
             LongDate("opened_date"), PlannedDate("decommission_date", false)],
            ["council_code", "scheme_id"], "opened_date", [CouncilRef],
            [UnknownLocality(), EndBeforeStart("opened_date", "decommission_date")]),

        new("units",
            [Council, new("unit_id"), new("scheme_id")],
            ["council_code", "unit_id"], null, [CouncilRef, new(["scheme_id"], "schemes", ["scheme_id"])], []),

        new("unit_status",
            [Council, new("unit_id"), Code("status", UnitStatuses), LongDate("valid_from"), LongDate("valid_to", false)],
            ["council_code", "unit_id", "valid_from"], "valid_from",
            [CouncilRef, new(["unit_id"], "units", ["unit_id"])],
            [EndBeforeStart("valid_from", "valid_to"),
             new("valid_from", "status period overlaps the unit's previous period", false, """
                SELECT __row, unit_id FROM (
                    SELECT s.__row, s.unit_id, s.valid_from,
                           lag(coalesce(s.valid_to, DATE '9999-12-31')) OVER (PARTITION BY s.council_code, s.unit_id ORDER BY s.valid_from) AS prev_to
                    FROM stg s)
                WHERE prev_to > valid_from
                """)]),

        new("tenancies",
            [Council, new("tenancy_id"), new("unit_id"), new("person_id"), LongDate("start_date"), LongDate("end_date", false),
             Code("end_reason", TenancyEndReasons, false)],
            ["council_code", "tenancy_id"], "start_date",
            [CouncilRef, new(["unit_id"], "units", ["unit_id"])],
            [EndBeforeStart("start_date", "end_date")]),

        new("pipeline",
            [Council, new("pipeline_id"), new("name"), new("units", ColumnType.Integer, Min: 0, Max: 10000),
             Code("category", SchemeCategories), Code("client_group", ClientGroups), Code("design", Designs), Bool("in_area"),
             PlannedDate("expected_date"), OptionalText("strategy_phase"), Code("status", DeliveryStatuses), Date("status_date")],
            ["council_code", "pipeline_id"], "expected_date", [CouncilRef], []),

        new("waiting_list",
            [Council, new("person_id"), Date("date_added"), Code("client_group", ClientGroups), Code("preference", Preferences),
             Code("age_band", WaitingListAgeBands), Date("date_removed", false), Code("removal_reason", RemovalReasons, false)],
            ["council_code", "person_id", "date_added"], "date_added", [CouncilRef],
            [EndBeforeStart("date_added", "date_removed"),
             new("removal_reason", "removal_reason given without date_removed", false,
                 "SELECT s.__row, s.removal_reason FROM stg s WHERE s.removal_reason IS NOT NULL AND s.date_removed IS NULL")]),

        new("accommodation_needs",
            [Council, new("person_id"), Code("cohort", NeedCohorts), Code("client_group", ClientGroups),
             Date("date_identified"), PlannedDate("needed_by"), Date("date_met", false)],
            ["council_code", "person_id", "cohort"], "date_identified", [CouncilRef],
            [EndBeforeStart("date_identified", "date_met")]),

        new("population",
            [Council, new("year", ColumnType.Integer, Min: 1990, Max: 2100), Code("age_band", PopulationAgeBands),
             Code("variant", [.. PopulationVariants, .. Published.OnsVariants.Additional]), new("source"), new("population", ColumnType.Integer, Min: 0, Max: 100_000_000)],
            ["council_code", "year", "age_band", "variant", "source"], null, [CouncilRef], []),

        new("strategies",
            [Council, new("strategy_id"), new("version", ColumnType.Integer, Min: 1, Max: 10000), new("name"),
             new("start_fy", ColumnType.FinancialYear), new("end_fy", ColumnType.FinancialYear),
             Code("client_group", ClientGroups, false), new("created_at", ColumnType.Timestamp), new("author"), new("reason")],
            ["council_code", "strategy_id", "version"], null, [CouncilRef],
            [new("end_fy", "end_fy is before start_fy", false,
                 "SELECT s.__row, CAST(s.end_fy AS VARCHAR) FROM stg s WHERE s.end_fy < s.start_fy")],
            ReplaceBy: ["council_code", "strategy_id", "version"]),

        new("strategy_phases",
            [Council, new("strategy_id"), new("version", ColumnType.Integer, Min: 1, Max: 10000), new("phase"),
             new("start_fy", ColumnType.FinancialYear), new("end_fy", ColumnType.FinancialYear),
             new("unit_target", ColumnType.Integer, Min: 0, Max: 100000)],
            ["council_code", "strategy_id", "version", "phase"], null,
            [CouncilRef, new(["strategy_id", "version"], "strategies", ["strategy_id", "version"])],
            [new("start_fy", "phase lies outside its strategy's period", false, """
                SELECT s.__row, CAST(s.start_fy AS VARCHAR) || '-' || CAST(s.end_fy AS VARCHAR) FROM stg s
                JOIN eff_strategies t ON t.council_code = s.council_code AND t.strategy_id = s.strategy_id AND t.version = s.version
                WHERE s.start_fy < t.start_fy OR s.end_fy > t.end_fy OR s.end_fy < s.start_fy
                """)],
            ReplaceBy: ["council_code", "strategy_id", "version"]),

        new("strategy_targets",
            [Council, new("strategy_id"), new("version", ColumnType.Integer, Min: 1, Max: 10000),
             Code("client_group", [.. ClientGroups, "all"]), new("fy", ColumnType.FinancialYear, Required: false),
             new("unit_target", ColumnType.Integer, Min: 0, Max: 100000)],
            ["council_code", "strategy_id", "version", "client_group", "fy"], null,
            [CouncilRef, new(["strategy_id", "version"], "strategies", ["strategy_id", "version"])],
            [new("fy", "target year lies outside its strategy's period", false, """
                SELECT s.__row, CAST(s.fy AS VARCHAR) FROM stg s
                JOIN eff_strategies t ON t.council_code = s.council_code AND t.strategy_id = s.strategy_id AND t.version = s.version
                WHERE s.fy < t.start_fy OR s.fy > t.end_fy
                """),
             new("client_group", "target for another client group than the strategy's", false, """
                SELECT s.__row, s.client_group FROM stg s
                JOIN eff_strategies t ON t.council_code = s.council_code AND t.strategy_id = s.strategy_id AND t.version = s.version
                WHERE t.client_group IS NOT NULL AND s.client_group <> t.client_group
                """),
             new("client_group", "targets for 'all' and for single client groups in one strategy version", false, """
                SELECT s.__row, s.client_group FROM stg s
                WHERE EXISTS (SELECT 1 FROM stg o WHERE o.council_code = s.council_code AND o.strategy_id = s.strategy_id
                    AND o.version = s.version AND (o.client_group = 'all') <> (s.client_group = 'all'))
                """),
             new("fy", "client group has both annual targets and a target for the whole period", false, """
                SELECT s.__row, s.client_group FROM stg s
                WHERE s.fy IS NULL AND EXISTS (SELECT 1 FROM stg o WHERE o.council_code = s.council_code AND o.strategy_id = s.strategy_id
                    AND o.version = s.version AND o.client_group = s.client_group AND o.fy IS NOT NULL)
                """)],
            ReplaceBy: ["council_code", "strategy_id", "version"], Optional: true),

        // Long-term support and performance domains (Domain/docs/adult-social-care.md, "The data domains"). Optional: an extract of the planning
        // domains alone still imports; a file that is given replaces that council's rows of its table.
        new("services",
            [Council, new("service_id"), new("person_id"), Code("service_type", ServiceTypes), LongDate("start_date"), LongDate("end_date", false),
             new("planned_hours_per_week", ColumnType.Double, Required: false, Min: 0, Max: 168, Precision: 6, Scale: 2),
             new("weekly_cost", ColumnType.Double, Min: 0, Max: 50_000, Precision: 9, Scale: 2),
             Code("funding", ServiceFundings), Code("psr", PrimarySupportReasons, false), Code("age_band", AgeBands),
             Code("accommodation_status", AccommodationStatuses, false), OptionalText("locality")],
            ["council_code", "service_id"], "start_date", [CouncilRef],
            [UnknownLocality(), EndBeforeStart("start_date", "end_date"),
             new("planned_hours_per_week", "home care needs its planned weekly hours", false,
                 "SELECT s.__row, s.service_type FROM stg s WHERE s.service_type = 'home_care' AND s.planned_hours_per_week IS NULL"),
             new("planned_hours_per_week", "planned weekly hours given for a service other than home care; they are not counted", true,
                 "SELECT s.__row, s.service_type FROM stg s WHERE s.service_type <> 'home_care' AND s.planned_hours_per_week IS NOT NULL"),
             new("funding", "a direct payment service must be funded by direct payment", false,
                 "SELECT s.__row, s.funding FROM stg s WHERE s.service_type = 'direct_payment' AND s.funding <> 'direct_payment'"),
             new("accommodation_status", "accommodation status missing for an adult with a learning disability (ASCOF 1G counts them as not in their own home)", true,
                 "SELECT s.__row, s.person_id FROM stg s WHERE s.psr = 'learning_disability' AND s.age_band IN ('18-24', '25-64') AND s.accommodation_status IS NULL")],
            Optional: true),

        new("assessments",
            [Council, new("assessment_id"), new("person_id"), Date("received_date"), Date("allocated_date", false), Date("start_date", false),
             Date("completed_date", false), Code("outcome", AssessmentOutcomes, false), Date("support_start_date", false),
             Code("priority", AssessmentPriorities), Code("age_band", AgeBands, false), Code("psr", PrimarySupportReasons, false)],
            ["council_code", "assessment_id"], "received_date", [CouncilRef],
            [EndBeforeStart("received_date", "allocated_date"), EndBeforeStart("received_date", "start_date"), EndBeforeStart("received_date", "completed_date"),
             EndBeforeStart("completed_date", "support_start_date"),
             new("support_start_date", "support start date for an assessment that did not find the person eligible", false,
                 "SELECT s.__row, strftime(s.support_start_date, '%Y-%m-%d') FROM stg s WHERE s.support_start_date IS NOT NULL AND s.outcome IS DISTINCT FROM 'eligible'"),
             EndBeforeStart("start_date", "completed_date"),
             new("outcome", "outcome given for an assessment that is not completed", false,
                 "SELECT s.__row, s.outcome FROM stg s WHERE s.outcome IS NOT NULL AND s.completed_date IS NULL"),
             new("outcome", "completed assessment without an outcome", false,
                 "SELECT s.__row, strftime(s.completed_date, '%Y-%m-%d') FROM stg s WHERE s.outcome IS NULL AND s.completed_date IS NOT NULL")],
            Optional: true),

        new("reviews",
            [Council, new("review_id"), new("person_id"), Date("due_date", window: DateWindow.Planned), Date("completed_date", false)],
            ["council_code", "review_id"], "due_date", [CouncilRef],
            [new("person_id", "person has no long-term service in services.csv", true, """
                SELECT s.__row, s.person_id FROM stg s
                WHERE NOT EXISTS (SELECT 1 FROM eff_services v WHERE v.council_code = s.council_code AND v.person_id = s.person_id)
                """)],
            Optional: true),

        new("reablement",
            [Council, new("episode_id"), new("person_id"), Date("start_date"), Date("end_date", false), Code("source", ReablementSources),
             Code("age_band", AgeBands), Code("outcome", ReablementOutcomes, false), Code("status_91_days", Status91Days, false)],
            ["council_code", "episode_id"], "start_date", [CouncilRef],
            [EndBeforeStart("start_date", "end_date"),
             new("outcome", "outcome given for an episode that has not ended", false,
                 "SELECT s.__row, s.outcome FROM stg s WHERE s.outcome IS NOT NULL AND s.end_date IS NULL"),
             new("status_91_days", "status 91 days after discharge given before 91 days have passed", false, $"""
                SELECT s.__row, s.status_91_days FROM stg s
                WHERE s.status_91_days IS NOT NULL AND (s.end_date IS NULL OR s.end_date + INTERVAL 91 DAY > {AsOfToken})
                """)],
            Optional: true),

        new("discharges",
            [Council, new("discharge_id"), new("person_id"), Date("referral_date"), Date("decision_date"), Date("discharge_date", false),
             new("pathway", ColumnType.Integer, Min: 0, Max: 3), Code("age_band", AgeBands)],
            ["council_code", "discharge_id"], "decision_date", [CouncilRef],
            [EndBeforeStart("referral_date", "decision_date"), EndBeforeStart("decision_date", "discharge_date")],
            Optional: true),

        new("dols",
            [Council, new("application_id"), new("person_id"), Date("received_date"), Date("allocated_date", false), Date("completed_date", false),
             Code("outcome", DolsOutcomes, false), Code("age_band", AgeBands, false)],
            ["council_code", "application_id"], "received_date", [CouncilRef],
            [EndBeforeStart("received_date", "allocated_date"), EndBeforeStart("received_date", "completed_date"),
             new("outcome", "outcome given for an application that is not completed", false,
                 "SELECT s.__row, s.outcome FROM stg s WHERE s.outcome IS NOT NULL AND s.completed_date IS NULL"),
             new("outcome", "completed application without an outcome", false,
                 "SELECT s.__row, strftime(s.completed_date, '%Y-%m-%d') FROM stg s WHERE s.outcome IS NULL AND s.completed_date IS NOT NULL")],
            Optional: true),

        new("safeguarding",
            [Council, new("concern_id"), new("person_id"), Date("concern_date"), Date("enquiry_start_date", false), Date("enquiry_end_date", false),
             Code("risk_outcome", SafeguardingRiskOutcomes, false), Code("age_band", AgeBands, false)],
            ["council_code", "concern_id"], "concern_date", [CouncilRef],
            [EndBeforeStart("concern_date", "enquiry_start_date"), EndBeforeStart("enquiry_start_date", "enquiry_end_date"),
             new("enquiry_end_date", "enquiry end date without an enquiry start date", false,
                 "SELECT s.__row, strftime(s.enquiry_end_date, '%Y-%m-%d') FROM stg s WHERE s.enquiry_end_date IS NOT NULL AND s.enquiry_start_date IS NULL"),
             new("risk_outcome", "risk outcome given for an enquiry that has not ended", false,
                 "SELECT s.__row, s.risk_outcome FROM stg s WHERE s.risk_outcome IS NOT NULL AND s.enquiry_end_date IS NULL")],
            Optional: true),

        new("budgets",
            [Council, new("fy", ColumnType.FinancialYear), Code("service_line", BudgetServiceLines),
             new("budget", ColumnType.Double, Min: 0, Max: 1e10, Precision: 13, Scale: 2),
             new("outturn", ColumnType.Double, Required: false, Min: 0, Max: 1e10, Precision: 13, Scale: 2),
             new("forecast_outturn", ColumnType.Double, Required: false, Min: 0, Max: 1e10, Precision: 13, Scale: 2)],
            ["council_code", "fy", "service_line"], null, [CouncilRef],
            [new("outturn", "both an outturn and an in-year forecast outturn: a closed year has only its outturn", true,
                 "SELECT s.__row, CAST(s.fy AS VARCHAR) FROM stg s WHERE s.outturn IS NOT NULL AND s.forecast_outturn IS NOT NULL")],
            Optional: true),

        // Weekly costs a council states for settings its services data does not price; a scenario's weekly_costs lever overrides them.
        new("cost_assumptions",
            [Council, Code("setting", Forecasting.Planning.CostSettings.All), Code("client_group", [.. ClientGroups, "all"]),
             new("weekly_cost", ColumnType.Double, Min: 0, Max: 50000, Precision: 9, Scale: 2), new("source"),
             Date("valid_from", window: DateWindow.Planned)],
            ["council_code", "setting", "client_group", "valid_from"], null, [CouncilRef], [],
            Optional: true),

        new("benchmarks",
            [Council, Code("measure", MeasureNames), new("fy", ColumnType.FinancialYear), Code("comparator_type", ComparatorTypes),
             new("comparator_code"), new("comparator_name"), new("value", ColumnType.Double, Min: -1e12, Max: 1e12, Precision: 15, Scale: 6),
             new("source")],
            ["council_code", "measure", "fy", "comparator_type", "comparator_code"], null, [CouncilRef],
            [new("comparator_code", "quartile boundary must be lower_quartile, median or upper_quartile", false, $"""
                SELECT s.__row, s.comparator_code FROM stg s
                WHERE s.comparator_type = 'quartile' AND s.comparator_code NOT IN ({string.Join(", ", QuartileBoundaries.Select(q => $"'{q}'"))})
                """),
             new("comparator_code", "the importing council itself is listed as a comparator; its own value comes from its data", true,
                 "SELECT s.__row, s.comparator_code FROM stg s WHERE s.comparator_type = 'council' AND s.comparator_code = s.council_code")],
            Optional: true),

        // A council's comparator group (nearest neighbours, most similar first); with published_measures it gives the
        // comparison its councils' real figures (Published/README section in the store's README).
        new("comparator_groups",
            [Council, new("comparator_code"), new("rank", ColumnType.Integer, Min: 1, Max: 200), new("source")],
            ["council_code", "comparator_code"], null, [CouncilRef],
            [new("comparator_code", "a council cannot be its own comparator", false,
                 "SELECT s.__row, s.comparator_code FROM stg s WHERE s.comparator_code = s.council_code"),
             new("rank", "two comparators of the council share a rank", false, """
                SELECT __row, CAST(rank AS VARCHAR) FROM (
                    SELECT __row, rank, min(__row) OVER (PARTITION BY council_code, rank) AS first_row FROM stg WHERE rank IS NOT NULL)
                WHERE __row <> first_row
                """)],
            Optional: true),

        // Published figures of every area in a national file (councils, regions, England), so council_code is any
        // area's code and no reference to councils applies. A file replaces the areas' figures of the years it holds.
        new("published_measures",
            [Council, OptionalText("area_name"), Code("measure", MeasureNames), new("fy", ColumnType.FinancialYear), new("published_code"),
             new("numerator", ColumnType.Double, Required: false, Min: 0, Max: 1e12, Precision: 18, Scale: 6),
             new("denominator", ColumnType.Double, Required: false, Min: 0, Max: 1e12, Precision: 18, Scale: 6),
             new("value", ColumnType.Double, Min: -1e12, Max: 1e12, Precision: 18, Scale: 6), new("source")],
            ["council_code", "measure", "fy"], null, [], [],
            ReplaceBy: ["council_code", "fy"], Optional: true),

        new("measure_targets",
            [Council, Code("measure", MeasureNames), new("fy", ColumnType.FinancialYear), new("version", ColumnType.Integer, Min: 1, Max: 10000),
             new("target", ColumnType.Double, Min: -1e12, Max: 1e12, Precision: 15, Scale: 6),
             new("amber_margin", ColumnType.Double, Min: 0, Max: 1e12, Precision: 15, Scale: 6),
             new("created_at", ColumnType.Timestamp), new("author"), new("reason")],
            ["council_code", "measure", "fy", "version"], null, [CouncilRef], [],
            ReplaceBy: ["council_code", "measure", "fy", "version"], Optional: true),

        // The prevalence cross-check (Planning README, "Prevalence cross-check"): national rates and planning ratios a
        // council replaces with its own. Optional; a file given replaces that council's rows of its table.
        new("prevalence_rates",
            [Council, Code("client_group", ClientGroups), new("condition"), Code("age_band", AgeBands),
             new("rate", ColumnType.Double, Min: 0, Max: 1000, Precision: 9, Scale: 4), Code("unit", Forecasting.Planning.PrevalenceRate.Units),
             new("source")],
            ["council_code", "client_group", "condition", "age_band"], null, [CouncilRef],
            [new("rate", "a rate per 100 above 100 would be more people than the age band holds", false,
                 $"SELECT s.__row, regexp_replace(CAST(s.rate AS VARCHAR), '\\.0$', '') FROM stg s WHERE s.unit = '{Forecasting.Planning.PrevalenceRate.Per100}' AND s.rate > 100")],
            Optional: true),

        new("accommodation_benchmarks",
            [Council, Code("measure", Forecasting.Planning.AccommodationBenchmark.Measures), Code("client_group", ClientGroups, false),
             new("value", ColumnType.Double, Min: 0, Max: 1000, Precision: 9, Scale: 4), new("source")],
            ["council_code", "measure", "client_group"], null, [CouncilRef],
            [new("client_group", "a unit_need_share is the share of one client group's prevalent population: give its client group", false,
                 $"SELECT s.__row, s.measure FROM stg s WHERE s.measure = '{Forecasting.Planning.AccommodationBenchmark.UnitNeedShare}' AND s.client_group IS NULL"),
             new("value", "a unit_need_share is a share from 0 to 1", false,
                 $"SELECT s.__row, regexp_replace(CAST(s.value AS VARCHAR), '\\.0$', '') FROM stg s WHERE s.measure = '{Forecasting.Planning.AccommodationBenchmark.UnitNeedShare}' AND s.value > 1"),
             new("client_group", "extra_care_units_per_1000_75plus is a ratio for the whole population aged 75+: leave client_group empty", false,
                 $"SELECT s.__row, s.client_group FROM stg s WHERE s.measure = '{Forecasting.Planning.AccommodationBenchmark.ExtraCarePer1000Aged75Plus}' AND s.client_group IS NOT NULL")],
            Optional: true),
        .. Cld.CldTables.Specs,
    ];

    public static TableSpec? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>
    /// A table's row checks: its own, and an old-outlier warning on its date column when that column records events
    /// (<see cref="DateWindow.Event"/>; long histories such as admissions of long-stay residents are sparse by nature).
    /// </summary>
    public static IEnumerable<RowCheck> ChecksOf(TableSpec spec) =>
        spec.DateColumn is { } column && spec.Column(column) is { Type: ColumnType.Date, Window: DateWindow.Event }
            ? [.. spec.Checks, OldOutlier(column)]
            : spec.Checks;

    public static IEnumerable<string> Names => All.Select(t => t.Name);
}
