using System.Globalization;
using DuckDB.NET.Data;

namespace Forecasting.Store.Import.Cld;

/// <summary>
/// The product's own tables (contacts, assessments, services, admissions, leavers, reablement, reviews) derived from
/// the cleaned CLD events of an import (stg_cld_events, stg_cld_people), as set-based SQL into staging tables stg_T
/// that the importer swaps in with everything else in its one transaction. The rules are in the CLD README
/// (src/Forecasting.Cld/README.md, "The product's tables from CLD").
/// </summary>
/// <remarks>
/// A council's own file wins: a table given as a file in the same import is not derived, and a council whose stored
/// rows of a table came from its own file (ids not starting with <see cref="IdPrefix"/>) keeps them.
/// </remarks>
internal static class CldDerivedTables
{
    /// <summary>Ids of derived rows start with this, so a later CLD import knows which stored rows it may replace.</summary>
    public const string IdPrefix = "CLD-";

    /// <summary>The derived tables with their id column, in the importer's dependency order.</summary>
    public static readonly IReadOnlyList<(string Table, string IdColumn)> Tables =
    [
        ("contacts", "contact_id"), ("admissions", "admission_id"), ("leavers", "admission_id"), ("services", "service_id"),
        ("assessments", "assessment_id"), ("reviews", "review_id"), ("reablement", "episode_id"),
    ];

    public static IEnumerable<string> Names => Tables.Select(t => t.Table);

    /// <summary>Days before an event in which the person's latest request is the one that led to it.</summary>
    public const int LeadingRequestDays = 90;

    /// <summary>An episode ending in a progress to assessment or support is followed this many days for the long-term service it led to.</summary>
    public const int SequelDays = 91;

    /// <summary>ST-Max services of a person this many days apart or less are one reablement episode (ASCOF 2A).</summary>
    public const int ReablementGapDays = 7;

    /// <summary>
    /// Builds stg_T for every derived table not given as a file in this import; returns the tables built with their
    /// row counts. Councils that keep their own rows, and rows that cannot be placed (no known adult age), are warnings.
    /// </summary>
    public static List<(string Table, long Rows)> Derive(DuckDBConnection connection, IReadOnlySet<string> tablesFromFiles, DateOnly asOf,
        string fileName, IssueLog issues)
    {
        ForecastingStore.Execute(connection, Base + Stays + Episodes);
        var built = new List<(string, long)>();
        foreach (var (table, idColumn) in Tables)
        {
            // Admissions and leavers are one history: both come from the same place.
            var fromFile = tablesFromFiles.Contains(table) || (table is "admissions" or "leavers" && (tablesFromFiles.Contains("admissions") || tablesFromFiles.Contains("leavers")));
            if (fromFile)
            {
                issues.Add(new(IssueSeverity.Warning, fileName, 0, "", $"{table} comes from its own file in this import: it is not derived from the CLD submissions", table));
                continue;
            }
            var keeping = OwnRowCouncils(connection, table, idColumn);
            foreach (var council in keeping)
                issues.Add(new(IssueSeverity.Warning, fileName, 0, "",
                    $"council {council} has {table} from its own file: they are kept, and not derived from the CLD submissions", table));
            var keep = keeping.Count == 0 ? "" : $"WHERE d.council_code NOT IN ({string.Join(", ", keeping.Select(Literal))})";
            ForecastingStore.Execute(connection, $"CREATE OR REPLACE TEMP TABLE stg_{table} AS SELECT * FROM main.{table} LIMIT 0");
            var columns = string.Join(", ", TableSchemas.Find(table)!.Columns.Select(c => c.Name));
            ForecastingStore.Execute(connection,
                $"INSERT INTO stg_{table} ({columns}) SELECT {columns} FROM ({Select(table, asOf)}) d {keep}");
            built.Add((table, Count(connection, $"SELECT count(*) FROM stg_{table}")));
        }
        WarnDropped(connection, fileName, issues);
        // A council's name and region are not in CLD: without its councils row its figures cannot be asked for.
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT DISTINCT council_code FROM stg_cld_events WHERE council_code NOT IN (SELECT council_code FROM eff_councils) ORDER BY 1";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
                issues.Add(new(IssueSeverity.Warning, fileName, 0, "LA_Code",
                    $"council {reader.GetString(0)} is not in councils: import councils.csv with its name and region to see its figures", reader.GetString(0)));
        }
        ForecastingStore.Execute(connection, "DROP TABLE IF EXISTS temp.cld_su; DROP TABLE IF EXISTS temp.cld_stays; DROP TABLE IF EXISTS temp.cld_episodes");
        return built;
    }

    /// <summary>Councils of the CLD import whose stored rows of the table include rows from their own file.</summary>
    private static List<string> OwnRowCouncils(DuckDBConnection connection, string table, string idColumn)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT DISTINCT m.council_code FROM main.{table} m
            WHERE NOT starts_with(m.{idColumn}, '{IdPrefix}') AND m.council_code IN (SELECT council_code FROM stg_cld_events)
            ORDER BY 1
            """;
        using var reader = cmd.ExecuteReader();
        var councils = new List<string>();
        while (reader.Read()) councils.Add(reader.GetString(0));
        return councils;
    }

    /// <summary>Services and reablement need an adult's age band, admissions an age: rows without one are counted, not stored.</summary>
    private static void WarnDropped(DuckDBConnection connection, string fileName, IssueLog issues)
    {
        var services = Count(connection, $"SELECT count(*) FROM cld_su WHERE {LongTermService} AND {AgeBand("birth_date", "start_date")} IS NULL");
        var episodes = Count(connection, $"SELECT count(*) FROM cld_episodes WHERE {AgeBand("birth_date", "start_date")} IS NULL");
        var stays = Count(connection, $"SELECT count(*) FROM cld_stays WHERE {Age("birth_date", "start_date")} IS NULL OR {Age("birth_date", "start_date")} < 18");
        foreach (var (count, what) in new[] { (services, "long-term services"), (episodes, "reablement episodes"), (stays, "care home admissions") })
            if (count > 0)
                issues.AddRule(IssueSeverity.Warning, fileName, "Der_Birth_Month", $"{what} of people without a known adult age are not in the product's tables (counted in the CLD measures)", [], count);
    }

    private static long Count(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    // ---- Shared pieces -------------------------------------------------------------------------------------------

    /// <summary>Age as the CLD measures count it: whole years of 365.25 days from the first of the birth month.</summary>
    private static string Age(string birth, string on) => $"CAST(floor(({on} - CAST(date_trunc('month', {birth}) AS DATE)) / 365.25) AS INTEGER)";

    /// <summary>The product's adult age band at a date; NULL for an unknown age or a child.</summary>
    private static string AgeBand(string birth, string on) => $"""
        CASE WHEN {birth} IS NULL THEN NULL WHEN {Age(birth, on)} < 18 THEN NULL WHEN {Age(birth, on)} <= 24 THEN '18-24'
             WHEN {Age(birth, on)} <= 64 THEN '25-64' WHEN {Age(birth, on)} <= 74 THEN '65-74' WHEN {Age(birth, on)} <= 84 THEN '75-84' ELSE '85+' END
        """;

    /// <summary>Release 2 primary support reasons to the product's six; Unknown, invalid and blank are NULL (not specified).</summary>
    private static string Psr(string column) => $"""
        CASE WHEN {column} LIKE 'Physical support:%' THEN 'physical_support' WHEN {column} LIKE 'Sensory support:%' THEN 'sensory_support'
             WHEN {column} = 'Support with memory and cognition' THEN 'memory_and_cognition' WHEN {column} = 'Learning disability support' THEN 'learning_disability'
             WHEN {column} = 'Mental health support' THEN 'mental_health' WHEN {column} LIKE 'Social support:%' THEN 'social_support' END
        """;

    private const string LongTermService =
        "event_type = 'Service' AND service_type IN ('Long term support: Community', 'Long term support: Nursing care', 'Long term support: Residential care', 'Long term support: Prison')";

    private const string CareHomeService = "event_type = 'Service' AND service_type IN ('Long term support: Nursing care', 'Long term support: Residential care')";

    /// <summary>
    /// Service users' events with valid dates (the measures drop an end before the start) and the columns the rules
    /// read, each with the person's details and a stable hash of its national unique-event key.
    /// </summary>
    private const string Base = """
        CREATE OR REPLACE TEMP TABLE cld_su AS
        SELECT e.council_code, e.event_key, e.person_id, e.event_type, e.start_date, e.end_date, e.event_outcome, e.route_of_access,
               e.eligible_needs_identified, e.service_type, e.service_component, e.delivery_mechanism, e.unit_cost, e.cost_frequency_unit_type,
               e.planned_units_per_week, e.primary_support_reason, e.accommodation_status,
               p.birth_date, p.date_of_death AS person_death, p.accommodation_status AS person_accommodation,
               substr(md5(e.council_code || '|' || e.event_key), 1, 20) AS event_hash
        FROM stg_cld_events e LEFT JOIN stg_cld_people p ON p.council_code = e.council_code AND p.person_id = e.person_id
        WHERE e.client_type = 'Service user' AND (e.end_date IS NULL OR e.end_date >= e.start_date);
        """;

    /// <summary>
    /// Per event of <paramref name="events"/> (a relation with council_code, person_id, start_date, event_key), the
    /// route of the person's latest request starting on that day or up to <see cref="LeadingRequestDays"/> days before
    /// (ties: the later key), and its start.
    /// </summary>
    private static string LeadingRequest(string events) => $"""
        SELECT x.council_code, x.event_key, arg_max(r.route_of_access, (r.start_date, r.event_key)) AS lead_route, max(r.start_date) AS lead_start
        FROM {events} x JOIN cld_su r ON r.council_code = x.council_code AND r.person_id = x.person_id AND r.event_type = 'Request'
             AND r.start_date BETWEEN x.start_date - {LeadingRequestDays} AND x.start_date
        GROUP BY x.council_code, x.event_key
        """;

    private static string Select(string table, DateOnly asOf) => table switch
    {
        "contacts" => Contacts,
        "assessments" => Assessments,
        "services" => Services,
        "admissions" => Admissions,
        "leavers" => Leavers,
        "reviews" => Reviews,
        "reablement" => Reablement(asOf),
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    // ---- Contacts ------------------------------------------------------------------------------------------------

    /// <summary>A service user's request: route of access, age at the request, the row's own PSR, the outcome mapped; a repeat when the person's previous request started 365 days or fewer before.</summary>
    private static readonly string Contacts = $"""
        SELECT council_code, '{IdPrefix}' || event_hash AS contact_id, start_date AS contact_date,
               CASE route_of_access WHEN 'Discharge from hospital' THEN 'hospital_discharge' WHEN 'Diversion from hospital services' THEN 'hospital_diversion'
                    WHEN 'Planned entry (transition)' THEN 'transition' WHEN 'Prison' THEN 'prison' ELSE 'community' END AS route,
               'not_recorded' AS channel,
               {AgeBand("birth_date", "start_date")} AS age_band,
               {Psr("primary_support_reason")} AS psr,
               CAST(NULL AS VARCHAR) AS locality,
               CASE event_outcome
                    WHEN 'Progress to reablement/ST-Max' THEN 'short_term_support'
                    WHEN 'Progress to assessment, review or reassessment' THEN 'long_term_support'
                    WHEN 'Progress to support planning or services' THEN 'long_term_support'
                    WHEN 'Continuation of support or services' THEN 'long_term_support'
                    WHEN 'Admitted to hospital' THEN 'nhs_funded'
                    WHEN 'NFA: Referral to NHS services or NHS funded social care' THEN 'nhs_funded'
                    WHEN 'NFA: Information and advice or signposting' THEN 'information_advice'
                    WHEN 'NFA: Deceased' THEN 'deceased'
                    ELSE 'no_further_action' END AS outcome,
               coalesce(lag(start_date) OVER (PARTITION BY council_code, person_id ORDER BY start_date, event_key) >= start_date - 365, false) AS repeat_within_12m
        FROM cld_su WHERE event_type = 'Request'
        """;

    // ---- Assessments ---------------------------------------------------------------------------------------------

    /// <summary>
    /// A service user's assessment: received when the leading request started (else the assessment's start), allocated
    /// and started at its start, completed at its end; eligible when eligible needs were identified (or, not stated,
    /// the outcome progresses to support), withdrawn when declined, moved away or deceased, otherwise not eligible;
    /// support began at the first long-term service starting after the assessment's start within 365 days of its end, or
    /// at the end when that service was already running.
    /// </summary>
    private static readonly string Assessments = $"""
        WITH a AS (SELECT * FROM cld_su WHERE event_type = 'Assessment'),
             lead AS ({LeadingRequest("a")}),
             graded AS (
                SELECT a.*, l.lead_start,
                       CASE WHEN a.end_date IS NULL THEN NULL
                            WHEN a.eligible_needs_identified = 'Yes' THEN 'eligible'
                            WHEN a.eligible_needs_identified = 'No' THEN 'not_eligible'
                            WHEN a.event_outcome IN ('NFA: Support declined', 'NFA: Deceased', 'NFA: Responsibility moved to another local authority') THEN 'withdrawn'
                            WHEN a.event_outcome IN ('Progress to reablement/ST-Max', 'Progress to support planning or services', 'Continuation of support or services') THEN 'eligible'
                            ELSE 'not_eligible' END AS grade
                FROM a LEFT JOIN lead l ON l.council_code = a.council_code AND l.event_key = a.event_key),
             support AS (
                SELECT g.council_code, g.event_key, min(s.start_date) AS first_service
                FROM graded g JOIN cld_su s ON s.council_code = g.council_code AND s.person_id = g.person_id AND s.event_type = 'Service' AND s.service_type LIKE 'Long term support:%'
                     AND s.start_date >= g.start_date AND s.start_date <= g.end_date + 365
                WHERE g.grade = 'eligible'
                GROUP BY ALL)
        SELECT g.council_code, '{IdPrefix}' || g.event_hash AS assessment_id, g.person_id,
               coalesce(g.lead_start, g.start_date) AS received_date, g.start_date AS allocated_date, g.start_date AS start_date,
               g.end_date AS completed_date, g.grade AS outcome,
               CASE WHEN g.grade = 'eligible' AND s.first_service IS NOT NULL THEN greatest(s.first_service, g.end_date) END AS support_start_date,
               'not_recorded' AS priority,
               {AgeBand("g.birth_date", "coalesce(g.lead_start, g.start_date)")} AS age_band,
               {Psr("g.primary_support_reason")} AS psr
        FROM graded g LEFT JOIN support s ON s.council_code = g.council_code AND s.event_key = g.event_key
        """;

    // ---- Services ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Weekly cost as DHSC's costs table reads a unit cost: per session, hourly and daily units times the planned units
    /// per week; weekly, fortnightly, 4-weekly, monthly, quarterly and annual costs spread over their weeks; one-off
    /// costs and costs that cannot be placed are 0 a week. Absolute values, as DHSC takes them.
    /// </summary>
    private const string WeeklyCost = """
        round(abs(coalesce(CASE cost_frequency_unit_type
            WHEN 'Per session' THEN unit_cost * planned_units_per_week WHEN 'Hourly' THEN unit_cost * planned_units_per_week
            WHEN 'Daily' THEN unit_cost * planned_units_per_week WHEN 'Weekly' THEN unit_cost WHEN 'Fortnightly' THEN unit_cost / 2
            WHEN '4-weekly' THEN unit_cost / 4 WHEN 'Monthly' THEN unit_cost * 12 / 52 WHEN 'Quarterly' THEN unit_cost * 4 / 52
            WHEN 'Annually' THEN unit_cost / 52 WHEN 'One-off' THEN 0 END, 0)), 2)
        """;

    /// <summary>
    /// A service user's long-term service: the setting from the service type (care homes) or component (community; a
    /// direct payment component is a direct payment, prison and other components other community); the product's end
    /// is the day after the CLD end (the product's episode runs to the day before its end); funding from the delivery
    /// mechanism; accommodation from the row, else the person's latest (with the national inference).
    /// </summary>
    private static readonly string Services = $"""
        WITH s AS (
            SELECT *, CASE service_type WHEN 'Long term support: Nursing care' THEN 'nursing' WHEN 'Long term support: Residential care' THEN 'residential'
                           WHEN 'Long term support: Prison' THEN 'other_community'
                           ELSE CASE service_component WHEN 'Home support or domiciliary care' THEN 'home_care' WHEN 'Community supported living' THEN 'supported_living'
                                     WHEN 'Extra care housing' THEN 'extra_care' WHEN 'Shared Lives' THEN 'shared_lives' WHEN 'Day support' THEN 'day_care'
                                     WHEN 'Direct payment' THEN 'direct_payment' ELSE 'other_community' END END AS product_type,
                      CASE WHEN accommodation_status IS NULL OR accommodation_status IN ('Unknown', 'Invalid and not mapped') THEN person_accommodation
                           ELSE accommodation_status END AS accommodation
            FROM cld_su WHERE {LongTermService})
        SELECT council_code, '{IdPrefix}' || event_hash AS service_id, person_id, product_type AS service_type, start_date,
               CAST(end_date + 1 AS DATE) AS end_date,
               CASE WHEN product_type = 'home_care' AND cost_frequency_unit_type = 'Hourly' THEN round(planned_units_per_week, 2) END AS planned_hours_per_week,
               {WeeklyCost} AS weekly_cost,
               CASE WHEN product_type = 'direct_payment' OR delivery_mechanism = 'Direct payment' THEN 'direct_payment'
                    WHEN delivery_mechanism = 'CASSR managed personal budget' THEN 'individual_service_fund' ELSE 'council_managed' END AS funding,
               {Psr("primary_support_reason")} AS psr,
               {AgeBand("birth_date", "start_date")} AS age_band,
               CASE WHEN accommodation IN ('Owner occupier or shared ownership scheme', 'Tenant: Local authority or other social housing provider',
                                           'Tenant: Private landlord', 'Settled mainstream housing with family or friends',
                                           'Sheltered housing, extra care housing or other sheltered housing',
                                           'Mobile accommodation for Gypsy, Roma and Traveller communities', 'Unknown: Presumed at home') THEN 'own_home_or_family'
                    WHEN accommodation IN ('Supported accommodation, supported lodgings or supported group home', 'Shared Lives scheme') THEN 'supported_living'
                    WHEN accommodation IN ('Registered care home', 'Registered nursing home') THEN 'residential'
                    WHEN accommodation IS NULL OR accommodation IN ('Unknown', 'Unknown: Presumed in community', 'Invalid and not mapped') THEN NULL
                    ELSE 'other' END AS accommodation_status,
               CAST(NULL AS VARCHAR) AS locality
        FROM s WHERE {AgeBand("birth_date", "start_date")} IS NOT NULL
        """;

    // ---- Admissions and leavers ----------------------------------------------------------------------------------

    /// <summary>
    /// Stays in long-term residential or nursing care: a person's care home services joined while each starts at most
    /// one day after the latest end so far (an open service runs on), so an admission is a start by someone not in
    /// such a service the day before. A stay keeps its first service's setting and PSR and its latest-ending service's
    /// outcome.
    /// </summary>
    private static readonly string Stays = $"""
        CREATE OR REPLACE TEMP TABLE cld_stays AS
        WITH c AS (
            SELECT *, max(coalesce(end_date, DATE '9999-12-31')) OVER (PARTITION BY council_code, person_id ORDER BY start_date, event_key
                                                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
            FROM cld_su WHERE {CareHomeService}),
             n AS (SELECT *, sum(CASE WHEN prev_end IS NULL OR start_date > prev_end + 1 THEN 1 ELSE 0 END)
                                 OVER (PARTITION BY council_code, person_id ORDER BY start_date, event_key) AS stay_no FROM c)
        SELECT council_code, person_id, stay_no, min(start_date) AS start_date,
               CASE WHEN bool_or(end_date IS NULL) THEN NULL ELSE max(end_date) END AS end_date,
               arg_min(service_type, (start_date, event_key)) AS first_type, arg_min(primary_support_reason, (start_date, event_key)) AS first_psr,
               arg_max(event_outcome, (coalesce(end_date, DATE '9999-12-31'), event_key)) AS last_outcome,
               any_value(birth_date) AS birth_date, any_value(person_death) AS person_death,
               '{IdPrefix}' || substr(md5(council_code || '|' || person_id || '|' || CAST(min(start_date) AS VARCHAR)), 1, 20) AS admission_id,
               min(event_key) AS event_key
        FROM n GROUP BY council_code, person_id, stay_no;

        """;

    /// <summary>A stay's start: setting and PSR of its first service, age then; funded as a former self-funder when the leading request came by the self-funder route, from hospital when it came from a hospital discharge or diversion.</summary>
    private static readonly string Admissions = $"""
        WITH lead AS ({LeadingRequest("cld_stays")})
        SELECT s.council_code, s.admission_id, s.person_id, s.start_date AS admission_date,
               CASE s.first_type WHEN 'Long term support: Nursing care' THEN 'nursing' ELSE 'residential' END AS setting,
               {Age("s.birth_date", "s.start_date")} AS age_at_admission,
               {Psr("s.first_psr")} AS psr, CAST(NULL AS VARCHAR) AS locality,
               CASE WHEN l.lead_route = 'Self-funder' THEN 'former_self_funder' ELSE 'council' END AS funding,
               CASE WHEN l.lead_route IN ('Discharge from hospital', 'Diversion from hospital services') THEN 'hospital' ELSE 'community' END AS source,
               false AS step_down_candidate
        FROM cld_stays s LEFT JOIN lead l ON l.council_code = s.council_code AND l.event_key = s.event_key
        WHERE {Age("s.birth_date", "s.start_date")} >= 18
        """;

    /// <summary>
    /// An ended stay: left on its last day; deceased when the person died by then (the national end date is the date of
    /// death) or the last service ended 'NFA: Deceased'; self-funding or NHS funded by that outcome; moved to supported
    /// living when a supported-living or Shared Lives service started within 7 days of the end; otherwise community support.
    /// </summary>
    private static readonly string Leavers = $"""
        SELECT s.council_code, s.admission_id, s.end_date AS leave_date,
               CASE WHEN s.person_death <= s.end_date OR s.last_outcome = 'NFA: Deceased' THEN 'deceased'
                    WHEN s.last_outcome = 'NFA: Self-funded client or under 12wk disregard' THEN 'self_funding'
                    WHEN s.last_outcome = 'NFA: Referral to NHS services or NHS funded social care' THEN 'nhs_funded'
                    WHEN EXISTS (SELECT 1 FROM cld_su v WHERE v.council_code = s.council_code AND v.person_id = s.person_id AND v.event_type = 'Service'
                                 AND v.service_component IN ('Community supported living', 'Shared Lives')
                                 AND v.start_date BETWEEN s.end_date - 7 AND s.end_date + 7) THEN 'moved_to_supported_living'
                    ELSE 'community_support' END AS reason
        FROM cld_stays s
        WHERE s.end_date IS NOT NULL AND {Age("s.birth_date", "s.start_date")} >= 18
        """;

    // ---- Reviews -------------------------------------------------------------------------------------------------

    /// <summary>A service user's review: CLD records reviews held, not when they fell due, so due is the day it started; completed at its end.</summary>
    private static readonly string Reviews = $"""
        SELECT council_code, '{IdPrefix}' || event_hash AS review_id, person_id, start_date AS due_date, end_date AS completed_date
        FROM cld_su WHERE event_type = 'Review'
        """;

    // ---- Reablement ----------------------------------------------------------------------------------------------

    /// <summary>Episodes as ASCOF 2A forms them: a person's ST-Max services joined while each starts at most 7 days after the latest end so far; the latest-ending service gives the outcome.</summary>
    private static readonly string Episodes = $"""
        CREATE OR REPLACE TEMP TABLE cld_episodes AS
        WITH st AS (
            SELECT *, max(coalesce(end_date, DATE '9999-12-31')) OVER (PARTITION BY council_code, person_id ORDER BY start_date, event_key
                                                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
            FROM cld_su WHERE event_type = 'Service' AND service_type = 'Short term support: ST-Max'),
             n AS (SELECT *, sum(CASE WHEN prev_end IS NULL OR start_date > prev_end + {ReablementGapDays} THEN 1 ELSE 0 END)
                                 OVER (PARTITION BY council_code, person_id ORDER BY start_date, event_key) AS episode_no FROM st)
        SELECT council_code, person_id, episode_no, min(start_date) AS start_date,
               CASE WHEN bool_or(end_date IS NULL) THEN NULL ELSE max(end_date) END AS end_date,
               arg_max(event_outcome, (coalesce(end_date, DATE '9999-12-31'), event_key)) AS last_outcome,
               any_value(birth_date) AS birth_date, any_value(person_death) AS person_death,
               '{IdPrefix}' || substr(md5(council_code || '|' || person_id || '|' || CAST(min(start_date) AS VARCHAR)), 1, 20) AS episode_id
        FROM n GROUP BY council_code, person_id, episode_no;

        """;

    /// <summary>
    /// An episode: from hospital when a request routed 'Discharge from hospital' ended (or, open, started) from 7 days
    /// before to 3 days after its start (ASCOF 2D's link). Its outcome, once ended, is the first of: died by 7 days
    /// after the end or ended 'NFA: Deceased'; a long-term care home service, then a long-term community service,
    /// then an ongoing low-level service starting in the episode or up to 7 days after and still open after its end;
    /// for an episode ending in a progress to assessment or support, a long-term care home, then community service
    /// starting up to 91 days after its end; an NFA outcome other than a referral to the NHS (no further support); otherwise other. Where the person was 91
    /// days after the end, for episodes from hospital whose 91 days have passed by the as-of date: died, in a care home
    /// service, back in hospital (a new hospital discharge or diversion request, or an event ending 'Admitted to
    /// hospital', in those days), else at home.
    /// </summary>
    private static string Reablement(DateOnly asOf) => $"""
        WITH discharge AS (
                SELECT DISTINCT e.council_code, e.episode_id
                FROM cld_episodes e JOIN cld_su r ON r.council_code = e.council_code AND r.person_id = e.person_id AND r.event_type = 'Request'
                     AND r.route_of_access = 'Discharge from hospital' AND coalesce(r.end_date, r.start_date) BETWEEN e.start_date - 7 AND e.start_date + 3),
             sequel AS (
                SELECT e.council_code, e.episode_id,
                       bool_or(v.start_date <= e.end_date + 7 AND v.service_type IN ('Long term support: Nursing care', 'Long term support: Residential care')) AS care_home,
                       bool_or(v.start_date <= e.end_date + 7 AND v.service_type IN ('Long term support: Community', 'Long term support: Prison')) AS community,
                       bool_or(v.start_date <= e.end_date + 7 AND v.service_type = 'Short term support: Ongoing low level') AS low_level,
                       bool_or(v.start_date > e.end_date + 7 AND v.service_type IN ('Long term support: Nursing care', 'Long term support: Residential care')) AS care_home_later,
                       bool_or(v.start_date > e.end_date + 7 AND v.service_type IN ('Long term support: Community', 'Long term support: Prison')) AS community_later
                FROM cld_episodes e JOIN cld_su v ON v.council_code = e.council_code AND v.person_id = e.person_id AND v.event_type = 'Service'
                     AND v.start_date BETWEEN e.start_date AND e.end_date + {SequelDays} AND (v.end_date IS NULL OR v.end_date > e.end_date)
                WHERE e.end_date IS NOT NULL
                GROUP BY ALL),
             after AS (
                SELECT e.council_code, e.episode_id,
                       bool_or(v.event_type = 'Service' AND v.service_type IN ('Long term support: Nursing care', 'Long term support: Residential care')
                               AND v.start_date <= e.end_date + 91 AND (v.end_date IS NULL OR v.end_date >= e.end_date + 91)) AS in_care_home,
                       bool_or((v.event_type = 'Request' AND v.route_of_access IN ('Discharge from hospital', 'Diversion from hospital services')
                                AND v.start_date > e.end_date AND v.start_date <= e.end_date + 91)
                               OR (v.event_outcome = 'Admitted to hospital' AND v.end_date > e.end_date AND v.end_date <= e.end_date + 91)) AS hospital
                FROM cld_episodes e JOIN cld_su v ON v.council_code = e.council_code AND v.person_id = e.person_id
                WHERE e.end_date IS NOT NULL
                GROUP BY ALL)
        SELECT e.council_code, e.episode_id, e.person_id, e.start_date, e.end_date,
               CASE WHEN d.episode_id IS NOT NULL THEN 'hospital_discharge' ELSE 'community' END AS source,
               {AgeBand("e.birth_date", "e.start_date")} AS age_band,
               CASE WHEN e.end_date IS NULL THEN NULL
                    WHEN e.person_death <= e.end_date + 7 OR e.last_outcome = 'NFA: Deceased' THEN 'deceased'
                    WHEN s.care_home THEN 'long_term_residential'
                    WHEN s.community THEN 'long_term_community'
                    WHEN s.low_level THEN 'ongoing_low_level'
                    WHEN e.last_outcome LIKE 'Progress to%' AND s.care_home_later THEN 'long_term_residential'
                    WHEN e.last_outcome LIKE 'Progress to%' AND s.community_later THEN 'long_term_community'
                    WHEN e.last_outcome LIKE 'NFA:%' AND e.last_outcome <> 'NFA: Referral to NHS services or NHS funded social care' THEN 'no_further_support'
                    ELSE 'other' END AS outcome,
               CASE WHEN d.episode_id IS NULL OR e.end_date IS NULL OR e.end_date + 91 > DATE '{asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}' THEN NULL
                    WHEN e.person_death <= e.end_date + 91 THEN 'deceased'
                    WHEN a.in_care_home THEN 'residential'
                    WHEN a.hospital THEN 'hospital'
                    ELSE 'at_home' END AS status_91_days
        FROM cld_episodes e
        LEFT JOIN discharge d ON d.council_code = e.council_code AND d.episode_id = e.episode_id
        LEFT JOIN sequel s ON s.council_code = e.council_code AND s.episode_id = e.episode_id
        LEFT JOIN after a ON a.council_code = e.council_code AND a.episode_id = e.episode_id
        WHERE {AgeBand("e.birth_date", "e.start_date")} IS NOT NULL
        """;
}
