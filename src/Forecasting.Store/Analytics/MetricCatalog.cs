using Forecasting.Domain;

namespace Forecasting.Store.Analytics;

/// <summary>
/// A dimension a measure can be filtered and broken down by: its SQL and, when coded, its values. Predicates, when
/// given, select the rows of each value exactly as the SQL would but without computing it per row, so a filter on a
/// derived dimension (an age group from an age) stays a plain comparison.
/// </summary>
public sealed record Dimension(string Name, string Sql, IReadOnlyList<string>? Values = null,
    IReadOnlyDictionary<string, string>? Predicates = null);

/// <summary>A flow measure: events counted (or summed) per period.</summary>
public sealed record FlowMetric(
    string Name,
    string Description,
    string FromSql,
    string DateSql,
    string ValueSql,
    IReadOnlyList<Dimension> Dimensions,
    bool StartsAtHistoryWindow = true);

/// <summary>A stock measure: a snapshot at a date; $as_of in the SQL is the snapshot date.</summary>
public sealed record StockMeasure(
    string Name,
    string Description,
    string FromSql,
    IReadOnlyList<(string Name, string Sql)> Measures,
    IReadOnlyList<Dimension> Dimensions);

/// <summary>
/// The measures analytics can produce, written once as SQL fragments over the store tables.
/// Table alias x is the main row; dimension values never come from the caller, only filter values do
/// (and those are bound as parameters).
/// </summary>
public static class MetricCatalog
{
    internal const string NotSpecified = "not_specified";

    internal static Dimension Coded(string name, string column, IReadOnlyList<string> values, bool nullable = false) =>
        nullable
            ? new(name, $"coalesce({column}, '{NotSpecified}')", [.. values, NotSpecified])
            : new(name, column, values);

    /// <summary>Retired locality codes are reported under their replacement so series stay comparable.</summary>
    internal static Dimension Locality(string alias = "x") => new("locality",
        $"coalesce((SELECT l.replaced_by FROM localities l WHERE l.council_code = {alias}.council_code AND l.locality_code = {alias}.locality), {alias}.locality, '{NotSpecified}')");

    internal static Dimension Council(string alias = "x") => new("council_code", $"{alias}.council_code");

    private static Dimension YesNo(string name, string column, string yes, string no) =>
        new(name, $"CASE WHEN {column} THEN '{yes}' ELSE '{no}' END", [yes, no]);

    internal static Dimension AgeGroupFromAge(string column) =>
        new("age_group", $"CASE WHEN {column} < 65 THEN '18-64' ELSE '65+' END", Vocabulary.AgeGroups,
            new Dictionary<string, string> { ["18-64"] = $"{column} < 65", ["65+"] = $"({column} >= 65 OR {column} IS NULL)" });

    private static Dimension AgeBandFromAge(string column) => new("age_band",
        $"CASE WHEN {column} < 25 THEN '18-24' WHEN {column} < 65 THEN '25-64' WHEN {column} < 75 THEN '65-74' WHEN {column} < 85 THEN '75-84' ELSE '85+' END",
        Vocabulary.AgeBands);

    private static IReadOnlyList<Dimension> SchemeDimensions(string alias) =>
    [
        Coded("category", $"{alias}.category", Vocabulary.SchemeCategories),
        Coded("client_group", $"{alias}.client_group", Vocabulary.ClientGroups),
        YesNo("in_area", $"{alias}.in_area", "in_area", "out_of_area"),
        Coded("design", $"{alias}.design", Vocabulary.Designs),
        Coded("owner", $"{alias}.owner", Vocabulary.Owners),
        Locality(alias),
        Council(alias),
    ];

    private const string TenancyFrom = """
        tenancies x
        JOIN units u ON u.council_code = x.council_code AND u.unit_id = x.unit_id
        JOIN schemes s ON s.council_code = u.council_code AND s.scheme_id = u.scheme_id
        """;

    private static readonly Dimension TransitionsClientGroup = new("client_group", ClientGroupMapping.PrimaryNeedSql("x.primary_need"), Vocabulary.ClientGroups);

    private static IReadOnlyList<Dimension> TransitionDimensions =>
    [
        Coded("primary_need", "x.primary_need", Vocabulary.PrimaryNeeds),
        Coded("predicted_setting", "x.predicted_setting", Vocabulary.PredictedSettings),
        YesNo("out_of_area", "x.out_of_area", "out_of_area", "in_area"),
        TransitionsClientGroup,
        Locality(),
        Council(),
    ];

    /// <summary>Permanent residents of care homes at $as_of: admitted and not yet left.</summary>
    internal const string ResidentsAtDate = """
        admissions x
        LEFT JOIN leavers y ON y.council_code = x.council_code AND y.admission_id = x.admission_id
        WHERE x.admission_date <= $as_of AND (y.leave_date IS NULL OR y.leave_date > $as_of)
        """;

    public static readonly IReadOnlyList<FlowMetric> Flows =
    [
        new("contacts", "Contacts to adult social care (front door)", "contacts x", "x.contact_date", "count(*)",
        [
            Coded("route", "x.route", Vocabulary.Routes),
            Coded("channel", "x.channel", Vocabulary.Channels),
            Coded("age_band", "x.age_band", Vocabulary.AgeBands, nullable: true),
            new("age_group", $"CASE WHEN x.age_band IS NULL THEN '{NotSpecified}' WHEN x.age_band IN ('18-24', '25-64') THEN '18-64' ELSE '65+' END",
                [.. Vocabulary.AgeGroups, NotSpecified]),
            Coded("psr", "x.psr", Vocabulary.PrimarySupportReasons, nullable: true),
            Locality(),
            Coded("outcome", "x.outcome", Vocabulary.Outcomes),
            YesNo("repeat", "x.repeat_within_12m", "repeat", "first"),
            Council(),
        ]),
        new("admissions", "Permanent admissions to residential and nursing care", "admissions x", "x.admission_date", "count(*)",
        [
            Coded("setting", "x.setting", Vocabulary.Settings),
            AgeGroupFromAge("x.age_at_admission"),
            AgeBandFromAge("x.age_at_admission"),
            Coded("psr", "x.psr", Vocabulary.PrimarySupportReasons, nullable: true),
            Locality(),
            Coded("funding", "x.funding", Vocabulary.Fundings),
            Coded("source", "x.source", Vocabulary.AdmissionSources),
            Council(),
        ]),
        new("leavers", "People leaving permanent residential and nursing care",
            "leavers y JOIN admissions x ON x.council_code = y.council_code AND x.admission_id = y.admission_id",
            "y.leave_date", "count(*)",
        [
            Coded("reason", "y.reason", Vocabulary.LeaveReasons),
            Coded("setting", "x.setting", Vocabulary.Settings),
            AgeGroupFromAge("x.age_at_admission"),
            Coded("psr", "x.psr", Vocabulary.PrimarySupportReasons, nullable: true),
            Locality(),
            Council(),
        ]),
        new("new_tenancies", "New supported-living tenancies (starts)", TenancyFrom, "x.start_date", "count(*)", SchemeDimensions("s")),
        new("ended_tenancies", "Supported-living tenancies ended (exits)", TenancyFrom, "x.end_date", "count(*)",
            [.. SchemeDimensions("s"), Coded("end_reason", "x.end_reason", Vocabulary.TenancyEndReasons, nullable: true)]),
        new("waiting_list_additions", "People added to the supported-living waiting list", "waiting_list x", "x.date_added", "count(*)",
        [
            Coded("client_group", "x.client_group", Vocabulary.ClientGroups),
            Coded("preference", "x.preference", Vocabulary.Preferences),
            Coded("age_band", "x.age_band", Vocabulary.WaitingListAgeBands),
            Council(),
        ]),
        new("reaching_18", "Young people in the transitions cohort reaching 18", "transitions x",
            "CAST(x.date_of_birth + INTERVAL 18 YEAR AS DATE)", "count(*)", TransitionDimensions, StartsAtHistoryWindow: false),
        new("reaching_18_expected_clients", "Young people reaching 18, weighted by their likelihood of becoming adult clients",
            "transitions x", "CAST(x.date_of_birth + INTERVAL 18 YEAR AS DATE)", "sum(x.likelihood)", TransitionDimensions,
            StartsAtHistoryWindow: false),
    ];

    public static readonly IReadOnlyList<StockMeasure> Stocks =
    [
        new("units", "Supported-living units open at the date, by status (void rate = void / (units - offline))",
            """
            units u
            JOIN schemes x ON x.council_code = u.council_code AND x.scheme_id = u.scheme_id
            LEFT JOIN unit_status st ON st.council_code = u.council_code AND st.unit_id = u.unit_id
                 AND st.valid_from <= $as_of AND (st.valid_to IS NULL OR st.valid_to > $as_of)
            WHERE x.opened_date <= $as_of AND (x.decommission_date IS NULL OR x.decommission_date > $as_of)
            """,
            [
                ("units", "count(*)"),
                ("schemes", "count(DISTINCT x.scheme_id)"),
                ("occupied", "count(*) FILTER (WHERE st.status = 'occupied')"),
                ("void", "count(*) FILTER (WHERE st.status = 'void')"),
                ("offline", "count(*) FILTER (WHERE st.status = 'offline')"),
                ("occupancy_rate", "count(*) FILTER (WHERE st.status = 'occupied') / nullif(count(*) FILTER (WHERE st.status IS DISTINCT FROM 'offline'), 0)"),
                ("void_rate", Units.VoidRateSql("st.status")),
            ],
            [.. SchemeDimensions("x"), new("status", "coalesce(st.status, 'unknown')", [.. Vocabulary.UnitStatuses, "unknown"])]),
        new("supported_living_tenants", "People with an open supported-living tenancy at the date",
            """
            tenancies t
            JOIN units u ON u.council_code = t.council_code AND u.unit_id = t.unit_id
            JOIN schemes x ON x.council_code = u.council_code AND x.scheme_id = u.scheme_id
            WHERE t.start_date <= $as_of AND (t.end_date IS NULL OR t.end_date > $as_of)
            """,
            [("people", "count(DISTINCT t.person_id)")],
            SchemeDimensions("x")),
        new("waiting_list", "People on the supported-living waiting list at the date",
            "waiting_list x WHERE x.date_added <= $as_of AND (x.date_removed IS NULL OR x.date_removed > $as_of)",
            [("people", "count(*)"), ("mean_days_waiting", "avg(date_diff('day', x.date_added, $as_of))")],
            [
                Coded("client_group", "x.client_group", Vocabulary.ClientGroups),
                Coded("preference", "x.preference", Vocabulary.Preferences),
                Coded("age_band", "x.age_band", Vocabulary.WaitingListAgeBands),
                Council(),
            ]),
        new("residential_care", "People in permanent residential or nursing care at the date", ResidentsAtDate,
            [("people", "count(*)")],
            [
                Coded("setting", "x.setting", Vocabulary.Settings),
                Coded("psr", "x.psr", Vocabulary.PrimarySupportReasons, nullable: true),
                AgeGroupFromAge("x.age_at_admission"),
                Coded("funding", "x.funding", Vocabulary.Fundings),
                YesNo("step_down_candidate", "x.step_down_candidate", "yes", "no"),
                Locality(),
                Council(),
            ]),
    ];

    public static readonly IReadOnlyList<Dimension> Transitions = TransitionDimensions;

    public static readonly IReadOnlyList<Dimension> Pipeline =
    [
        Coded("status", "x.status", Vocabulary.DeliveryStatuses),
        Coded("category", "x.category", Vocabulary.SchemeCategories),
        Coded("client_group", "x.client_group", Vocabulary.ClientGroups),
        Coded("design", "x.design", Vocabulary.Designs),
        YesNo("in_area", "x.in_area", "in_area", "out_of_area"),
        new("strategy_phase", $"coalesce(x.strategy_phase, '{NotSpecified}')"),
        new("pipeline_id", "x.pipeline_id"),
        // The scheme's name, so a page can name a scheme as members know it.
        new("name", "x.name"),
        Council(),
    ];

    public static FlowMetric Flow(string name) =>
        Flows.FirstOrDefault(m => m.Name == name)
        ?? throw new QueryException("metric",
            string.IsNullOrEmpty(name)
                ? $"a metric is required; valid metrics: {string.Join(", ", Flows.Select(m => m.Name))}"
                : $"unknown metric '{name}'; valid metrics: {string.Join(", ", Flows.Select(m => m.Name))}");

    public static StockMeasure Stock(string name) =>
        Stocks.FirstOrDefault(m => m.Name == name)
        ?? throw new QueryException("measure",
            $"unknown stock measure '{name}'; valid measures: {string.Join(", ", Stocks.Select(m => m.Name))}");
}
