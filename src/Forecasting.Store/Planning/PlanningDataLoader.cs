using DuckDB.NET.Data;
using Forecasting.Planning;

namespace Forecasting.Store.Planning;

/// <summary>Builds a <see cref="PlanningBaseline"/> for one council from the store with set-based SQL.</summary>
public sealed class PlanningDataLoader(DuckDBConnection connection) : IPlanningData
{
    /// <summary>Months of monthly tenancy history given to the forecasting engine.</summary>
    public int HistoryMonths { get; init; } = 60;

    /// <summary>
    /// The default as-of date: the data's as-of date as the current snapshot states it (never the latest row), when it
    /// is a month's last day, else the last day of the month before it (the last complete month).
    /// </summary>
    public DateOnly DefaultAsOf(string councilCode)
    {
        var d = DataAsOf(councilCode);
        var monthEnd = new DateOnly(d.Year, d.Month, 1).AddMonths(1).AddDays(-1);
        return d == monthEnd ? d : new DateOnly(d.Year, d.Month, 1).AddDays(-1);
    }

    /// <summary>The current snapshot's as-of date, when the council has data in it.</summary>
    private DateOnly DataAsOf(string councilCode)
    {
        if (ForecastingStore.CurrentAsOf(connection) is not { } current
            || Db.Scalar(connection, "SELECT 1 FROM councils WHERE council_code = $c", ("c", councilCode)) is null)
            throw new KeyNotFoundException($"no planning data for council {councilCode}");
        return current.AsOf;
    }

    public PlanningBaseline Load(string councilCode, DateOnly? asOf = null)
    {
        // Every query below reads rows up to the date only, so a date no later than the data's as-of date keeps rows
        // dated after it (held from older imports) out of the baseline.
        var dataAsOf = DataAsOf(councilCode);
        if (asOf > dataAsOf)
            throw new Forecasting.Domain.InvalidArgumentException("as_of",
                $"{asOf:yyyy-MM-dd} is after the data's as-of date {dataAsOf:yyyy-MM-dd}: the baseline starts from recorded data");
        var date = asOf ?? DefaultAsOf(councilCode);
        var c = ("c", (object?)councilCode);
        var d = ("d", (object?)date);
        var historyEnd = PlanningBaseline.LastCompleteMonth(date);
        var historyStart = historyEnd.AddMonths(-(HistoryMonths - 1));

        var waiting = Db.Query(connection, """
            SELECT client_group, count(*) FROM waiting_list
            WHERE council_code = $c AND date_added <= $d AND (date_removed IS NULL OR date_removed > $d)
            GROUP BY client_group
            """, r => (r.GetString(0), (int)Db.Long(r, 1)), c, d).ToDictionary(x => x.Item1, x => x.Item2);

        var stepDown = ByGroup(Db.Query(connection, """
            SELECT psr, age_at_admission + date_diff('year', admission_date, $d) AS age, count(*)
            FROM admissions a
            WHERE council_code = $c AND step_down_candidate AND admission_date <= $d
              AND NOT EXISTS (SELECT 1 FROM leavers l WHERE l.council_code = a.council_code AND l.admission_id = a.admission_id AND l.leave_date <= $d)
            GROUP BY ALL
            """, r => (Db.NullableString(r, 0), (int)Db.Long(r, 1), (double)Db.Long(r, 2)), c, d));

        var moves = ByGroup(Db.Query(connection, """
            SELECT a.psr, a.age_at_admission + date_diff('year', a.admission_date, l.leave_date) AS age, count(*) / 3.0
            FROM leavers l JOIN admissions a ON a.council_code = l.council_code AND a.admission_id = l.admission_id
            WHERE l.council_code = $c AND l.reason = 'moved_to_supported_living'
              AND l.leave_date > $d - INTERVAL 36 MONTH AND l.leave_date <= $d
            GROUP BY ALL
            """, r => (Db.NullableString(r, 0), (int)Db.Long(r, 1), Db.Double(r, 2)), c, d));

        var admissions = ByGroup(Db.Query(connection, """
            SELECT psr, age_at_admission, count(*)
            FROM admissions
            WHERE council_code = $c AND setting = 'residential'
              AND admission_date > $d - INTERVAL 12 MONTH AND admission_date <= $d
            GROUP BY ALL
            """, r => (Db.NullableString(r, 0), (int)Db.Long(r, 1), (double)Db.Long(r, 2)), c, d));

        var transitions = Db.Query(connection, """
            SELECT young_person_id, date_of_birth, primary_need, predicted_setting, out_of_area, likelihood
            FROM transitions
            WHERE council_code = $c AND date_of_birth + INTERVAL 18 YEAR > $d AND recorded_date <= $d
            ORDER BY young_person_id
            """, r => new TransitionPerson(r.GetString(0), Db.Date(r, 1), r.GetString(2), r.GetString(3), r.GetBoolean(4), Db.Double(r, 5)), c, d);

        var needs = Db.Query(connection, """
            SELECT cohort, client_group, date_trunc('month', needed_by) AS m, count(*)
            FROM accommodation_needs
            WHERE council_code = $c AND date_identified <= $d AND (date_met IS NULL OR date_met > $d)
            GROUP BY ALL ORDER BY ALL
            """, r => new AccommodationNeed(r.GetString(0), r.GetString(1), Db.Date(r, 2), (int)Db.Long(r, 3)), c, d);

        var schemes = Db.Query(connection, """
            WITH st AS (
                SELECT unit_id, status FROM unit_status
                WHERE council_code = $c AND valid_from <= $d AND (valid_to IS NULL OR valid_to > $d))
            SELECT s.scheme_id, s.name, s.category, s.client_group, s.in_area, s.opened_date, s.decommission_date,
                   count(*) FILTER (WHERE st.status = 'occupied'),
                   count(*) FILTER (WHERE st.status = 'void'),
                   count(*) FILTER (WHERE st.status = 'offline'),
                   count(u.unit_id) FILTER (WHERE st.status IS NULL)
            FROM schemes s
            LEFT JOIN units u ON u.council_code = s.council_code AND u.scheme_id = s.scheme_id
            LEFT JOIN st ON st.unit_id = u.unit_id
            WHERE s.council_code = $c
            GROUP BY ALL ORDER BY s.scheme_id
            """, r => new SchemeStock(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), Db.Date(r, 5),
                Db.NullableDate(r, 6), (int)Db.Long(r, 7), (int)Db.Long(r, 8), (int)Db.Long(r, 9), (int)Db.Long(r, 10)), c, d);

        var recordedPipeline = Db.Query(connection, """
            SELECT pipeline_id, name, units, category, client_group, in_area, expected_date, strategy_phase, status, status_date
            FROM pipeline WHERE council_code = $c ORDER BY pipeline_id
            """, r => new PipelineScheme(r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2)), r.GetString(3), r.GetString(4),
                r.GetBoolean(5), Db.Date(r, 6), Db.NullableString(r, 7), r.GetString(8), Db.NullableDate(r, 9)), c);
        // Pipeline and schemes as known on the date: statuses recorded later and schemes opened later are not.
        var (pipeline, knownSchemes, supplyNotes) = AsKnown.Supply(recordedPipeline, schemes, date);

        var recordedPopulation = Db.Query(connection, """
            SELECT variant, source, year,
                   CASE WHEN age_band IN ('18-24', '25-64') THEN 'working' ELSE '85+' END AS age_group,
                   sum(population)::DOUBLE
            FROM population
            WHERE council_code = $c AND age_band IN ('18-24', '25-64', '85+')
            GROUP BY ALL ORDER BY ALL
            """, r => new PopulationPoint(r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2)),
                r.GetString(3) == "working" ? PopulationAgeGroup.WorkingAge : PopulationAgeGroup.Aged85Plus, Db.Double(r, 4)), c);
        var (population, populationNotes) = AsKnown.Population(recordedPopulation, date);

        // Monthly flows and month-start stocks per client group. Need arising = waiting-list additions + direct
        // placements: first tenancies of people never on the waiting list and not admitted to residential care
        // (people moving from residential care are the step-down cohort; a second tenancy is a move, not new need).
        var flows = Db.Query(connection, """
            WITH t AS (
                SELECT s.client_group, s.category, t.person_id, t.start_date, t.end_date, t.end_reason
                FROM tenancies t
                JOIN units u ON u.council_code = t.council_code AND u.unit_id = t.unit_id
                JOIN schemes s ON s.council_code = u.council_code AND s.scheme_id = u.scheme_id
                WHERE t.council_code = $c),
            wl AS (SELECT person_id, client_group, date_added, date_removed, removal_reason FROM waiting_list
                   WHERE council_code = $c AND date_added <= $d),
            months AS (SELECT CAST(m AS DATE) AS m FROM generate_series(CAST($from AS TIMESTAMP), CAST($last AS TIMESTAMP), INTERVAL 1 MONTH) g(m))
            SELECT 'start' AS kind, client_group, date_trunc('month', start_date) AS m, count(*) FROM t
            WHERE start_date >= $from AND start_date < $to GROUP BY ALL
            UNION ALL
            SELECT 'end', client_group, date_trunc('month', end_date), count(*) FROM t
            WHERE end_date IS NOT NULL AND end_date >= $from AND end_date < $to GROUP BY ALL
            UNION ALL
            SELECT 'end_category', client_group || '|' || category, date_trunc('month', end_date), count(*) FROM t
            WHERE end_date IS NOT NULL AND end_date >= $from AND end_date < $to GROUP BY ALL
            UNION ALL
            SELECT 'housed_category', t.client_group || '|' || t.category, months.m, count(*) FROM months
            JOIN t ON t.start_date < months.m AND (t.end_date IS NULL OR t.end_date >= months.m) GROUP BY ALL
            UNION ALL
            SELECT 'arising', client_group, date_trunc('month', date_added), count(*) FROM wl
            WHERE date_added >= $from AND date_added < $to GROUP BY ALL
            UNION ALL
            SELECT 'arising', client_group, date_trunc('month', start_date), count(*) FROM t
            WHERE start_date >= $from AND start_date < $to
              AND NOT EXISTS (SELECT 1 FROM wl WHERE wl.person_id = t.person_id)
              AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.council_code = $c AND a.person_id = t.person_id AND a.admission_date <= $d)
              AND NOT EXISTS (SELECT 1 FROM t t2 WHERE t2.person_id = t.person_id AND t2.start_date < t.start_date)
            GROUP BY ALL
            UNION ALL
            SELECT 'removal', client_group, date_trunc('month', date_removed), count(*) FROM wl
            WHERE date_removed >= $from AND date_removed < $to AND removal_reason IS DISTINCT FROM 'housed' GROUP BY ALL
            UNION ALL
            SELECT 'waiting_death', client_group, date_trunc('month', date_removed), count(*) FROM wl
            WHERE date_removed >= $from AND date_removed < $to AND removal_reason = 'deceased' GROUP BY ALL
            UNION ALL
            SELECT 'tenant_death', client_group, date_trunc('month', end_date), count(*) FROM t
            WHERE end_date IS NOT NULL AND end_date >= $from AND end_date < $to AND end_reason = 'deceased' GROUP BY ALL
            UNION ALL
            SELECT 'housed', t.client_group, months.m, count(*) FROM months
            JOIN t ON t.start_date < months.m AND (t.end_date IS NULL OR t.end_date >= months.m) GROUP BY ALL
            UNION ALL
            SELECT 'waiting', wl.client_group, months.m, count(*) FROM months
            JOIN wl ON wl.date_added < months.m AND (wl.date_removed IS NULL OR wl.date_removed >= months.m) GROUP BY ALL
            """, r => (Kind: r.GetString(0), Group: r.GetString(1), Month: Db.Date(r, 2), Count: (double)Db.Long(r, 3)),
            c, d, ("from", historyStart), ("to", historyEnd.AddMonths(1)), ("last", historyEnd));

        // Unit turnover over the last 36 months to the as-of date: unit-days void or offline within the window and the
        // spells that ended in it, per client group (mean re-let and return times by Little's law).
        var turnover = Db.Query(connection, """
            WITH spells AS (
                SELECT s.client_group, us.status,
                       greatest(us.valid_from, $d - INTERVAL 36 MONTH) AS lo,
                       least(coalesce(us.valid_to, $d + INTERVAL 1 DAY), $d + INTERVAL 1 DAY) AS hi,
                       us.valid_to IS NOT NULL AND us.valid_to <= $d AS ended
                FROM unit_status us
                JOIN units u ON u.council_code = us.council_code AND u.unit_id = us.unit_id
                JOIN schemes s ON s.council_code = u.council_code AND s.scheme_id = u.scheme_id
                WHERE us.council_code = $c AND us.status IN ('void', 'offline')
                  AND us.valid_from <= $d AND (us.valid_to IS NULL OR us.valid_to > $d - INTERVAL 36 MONTH))
            SELECT client_group,
                   coalesce(sum(date_diff('day', lo, hi)) FILTER (WHERE status = 'void'), 0) / 30.4375,
                   count(*) FILTER (WHERE status = 'void' AND ended),
                   coalesce(sum(date_diff('day', lo, hi)) FILTER (WHERE status = 'offline'), 0) / 30.4375,
                   count(*) FILTER (WHERE status = 'offline' AND ended)
            FROM spells GROUP BY ALL
            """, r => (Group: r.GetString(0), Turnover: new UnitTurnover(Db.Double(r, 1), (int)Db.Long(r, 2), Db.Double(r, 3), (int)Db.Long(r, 4))), c, d)
            .ToDictionary(x => x.Group, x => x.Turnover);

        Dictionary<string, MonthlySeries> Of(string kind) => Series(flows.Where(f => f.Kind == kind).Select(f => (f.Group, f.Month, f.Count)), historyStart, HistoryMonths);

        // Weekly costs by setting: the median weekly cost of the services open on the as-of date (an episode covers
        // start_date to the day before end_date). The services table is optional: without it costs need levers.
        var serviceEpisodes = Convert.ToInt32(Db.Scalar(connection, "SELECT count(*) FROM services WHERE council_code = $c", c));
        var weeklyCosts = Db.Query(connection, """
            SELECT service_type, median(weekly_cost), count(*)
            FROM services
            WHERE council_code = $c AND service_type IN ('supported_living', 'extra_care', 'shared_lives', 'residential', 'nursing')
              AND start_date <= $d AND (end_date IS NULL OR end_date > $d)
            GROUP BY service_type ORDER BY service_type
            """, r => new WeeklyCostObservation(r.GetString(0), Db.Double(r, 1), (int)Db.Long(r, 2)), c, d)
            .ToDictionary(x => x.Setting);

        // Today's share of need met by direct payments (the base of direct_payment_share_change), per client group:
        // people of the group's age (18-64; 65 and over for older people and dementia) with a direct-payment service open
        // on the as-of date, over them plus the people housed in the group's units that day (in and out of area).
        var dpRows = Db.Query(connection, """
            SELECT psr, TRY_CAST(regexp_extract(age_band, '^[0-9]+') AS INTEGER) AS age, count(DISTINCT person_id)
            FROM services
            WHERE council_code = $c AND service_type = 'direct_payment'
              AND start_date <= $d AND (end_date IS NULL OR end_date > $d)
            GROUP BY ALL
            """, r => (Psr: r.IsDBNull(0) ? null : r.GetString(0), Age: r.IsDBNull(1) ? 18 : r.GetInt32(1), Count: (double)Db.Long(r, 2)),
            c, d);
        var dpPeople = ByGroup(dpRows.Where(x => x.Age >= 18 && (x.Age >= 65) == (ClientGroups.FromPsr(x.Psr, x.Age) == ClientGroups.OlderDementia)));
        var directPaymentShare = new Dictionary<string, double>();
        foreach (var (group, people) in dpPeople)
        {
            var housed = schemes.Where(x => x.ClientGroup == group).Sum(x => (double)x.Occupied);
            directPaymentShare[group] = people / (people + housed);
        }

        var snapshot = ForecastingStore.CurrentSnapshot(connection)?.SnapshotId;

        // The first month both tenancies and the waiting list are recorded from (the flows before it are not data).
        var recordsStart = Db.Query(connection, """
            SELECT greatest((SELECT min(start_date) FROM tenancies WHERE council_code = $c),
                            (SELECT min(date_added) FROM waiting_list WHERE council_code = $c))
            """, r => Db.NullableDate(r, 0), c).Single();
        var substitutions = new List<string>(supplyNotes);
        substitutions.AddRange(populationNotes);
        if (date < DefaultAsOf(councilCode) && stepDown.Count > 0)
            substitutions.Add("step-down flags carry no date: today's flags are applied to the residents in care on the date");

        return new PlanningBaseline
        {
            CouncilCode = councilCode,
            AsOf = date,
            SnapshotId = snapshot,
            WaitingList = waiting,
            StepDownCandidates = stepDown.ToDictionary(kv => kv.Key, kv => (int)Math.Round(kv.Value)),
            ResidentialMovesPerYear = moves,
            ResidentialAdmissionsPerYear = admissions,
            Transitions = transitions,
            AccommodationNeeds = needs,
            Schemes = knownSchemes,
            Pipeline = pipeline,
            Population = population,
            NewTenancies = Of("start"),
            TenancyEnds = Of("end"),
            TenancyEndsByCategory = Of("end_category"),
            HousedByCategory = Of("housed_category"),
            NeedArising = Of("arising"),
            WaitingRemovals = Of("removal"),
            WaitingDeaths = Of("waiting_death"),
            TenantDeaths = Of("tenant_death"),
            Turnover = turnover,
            HousedAtMonthStart = Of("housed"),
            WaitingAtMonthStart = Of("waiting"),
            Strategies = new StrategyRepository(connection).List(councilCode),
            WeeklyCosts = weeklyCosts,
            ServiceEpisodes = serviceEpisodes,
            Costs = CostDataLoader.Load(connection, councilCode, date),
            Substitutions = substitutions,
            RecordsStartMonth = recordsStart is { } rs ? new DateOnly(rs.Year, rs.Month, 1) : null,
            PipelineOutcomes = AsKnown.Outcomes(pipeline, knownSchemes),
            DirectPaymentShare = directPaymentShare,
        };
    }

    private static Dictionary<string, double> ByGroup(IEnumerable<(string? Psr, int Age, double Count)> rows)
    {
        var result = new Dictionary<string, double>();
        foreach (var (psr, age, count) in rows)
        {
            var g = ClientGroups.FromPsr(psr, age);
            result[g] = result.GetValueOrDefault(g) + count;
        }
        return result;
    }

    private static Dictionary<string, MonthlySeries> Series(IEnumerable<(string Group, DateOnly Month, double Count)> rows, DateOnly start, int months)
    {
        var result = new Dictionary<string, MonthlySeries>();
        foreach (var g in ClientGroups.Known) result[g] = new MonthlySeries(start, new double[months]);
        var first = MonthIndex.Of(start);
        foreach (var (group, month, count) in rows)
        {
            // Keys by client group and category ("group|category") are the known groups' too.
            if (!result.TryGetValue(group, out var s))
            {
                var bar = group.IndexOf('|');
                if (bar < 0 || !ClientGroups.Known.Contains(group[..bar])) continue;
                result[group] = s = new MonthlySeries(start, new double[months]);
            }
            var i = MonthIndex.Of(month) - first;
            if (i >= 0 && i < months) s.Values[i] += count;
        }
        return result;
    }
}
