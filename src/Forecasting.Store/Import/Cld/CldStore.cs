using DuckDB.NET.Data;
using Forecasting.Cld.Cleaning;
using Forecasting.Cld.Model;

namespace Forecasting.Store.Import.Cld;

/// <summary>One council's cleaned CLD as the national measures take it, and its latest data-quality report.</summary>
public sealed record CldData(IReadOnlyList<CldEvent> Events, IReadOnlyDictionary<string, CldPerson> People);

/// <summary>Reads the CLD tables back: events and person details for the measures, the quality report for the council.</summary>
public sealed class CldStore(ForecastingStore store)
{
    public CldData Load(string council)
    {
        using var connection = store.Open();
        var events = new List<CldEvent>();
        using (var cmd = Command(connection, """
            SELECT record_id, person_id, council_code, la_person_id, client_type, event_type, start_date, end_date, event_outcome, outcome_hierarchy,
                   route_of_access, assessment_type, eligible_needs_identified, service_type, service_component, delivery_mechanism, unit_cost,
                   cost_frequency_unit_type, planned_units_per_week, review_reason, review_outcomes_achieved, total_hours_caring,
                   linked_person_1, linked_person_2, linked_person_3, birth_year, birth_month, date_of_death, gender, primary_support_reason,
                   accommodation_status
            FROM cld_events WHERE council_code = $council ORDER BY person_id, start_date, event_type, record_id, event_key
            """, council))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                DateOnly? Date(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateOnly>(i);
                int? Whole(int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
                decimal? Number(int i) => r.IsDBNull(i) ? null : (decimal)r.GetDouble(i);
                events.Add(new CldEvent
                {
                    RecordId = r.GetInt64(0),
                    PersonId = r.GetString(1),
                    CouncilCode = r.GetString(2),
                    LaPersonId = Text(3),
                    ClientType = r.GetString(4),
                    EventType = r.GetString(5),
                    StartDate = r.GetFieldValue<DateOnly>(6),
                    EndDate = Date(7),
                    EventOutcome = Text(8),
                    OutcomeHierarchy = Whole(9),
                    RouteOfAccess = Text(10),
                    AssessmentType = Text(11),
                    EligibleNeedsIdentified = Text(12),
                    ServiceType = Text(13),
                    ServiceComponent = Text(14),
                    DeliveryMechanism = Text(15),
                    UnitCost = Number(16),
                    CostFrequencyUnitType = Text(17),
                    PlannedUnitsPerWeek = Number(18),
                    ReviewReason = Text(19),
                    ReviewOutcomesAchieved = Text(20),
                    TotalHoursCaringPerWeek = Text(21),
                    LinkedPersonIds = new[] { Text(22), Text(23), Text(24) }.OfType<string>().ToArray(),
                    BirthYear = Whole(25),
                    BirthMonth = Whole(26),
                    DateOfDeath = Date(27),
                    Gender = Text(28),
                    PrimarySupportReason = Text(29),
                    AccommodationStatus = Text(30),
                });
            }

        var people = new Dictionary<string, CldPerson>(StringComparer.Ordinal);
        using (var cmd = Command(connection, """
            SELECT person_id, la_person_id, birth_date, date_of_death, gender, primary_support_reason, accommodation_status, has_unpaid_carer, client_type, council_code
            FROM cld_people WHERE council_code = $council
            """, council))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                DateOnly? Date(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateOnly>(i);
                var person = new CldPerson
                {
                    PersonId = r.GetString(0),
                    LaPersonId = Text(1),
                    BirthDate = Date(2),
                    DateOfDeath = Date(3),
                    Gender = Text(4),
                    PrimarySupportReason = Text(5),
                    AccommodationStatus = Text(6),
                    HasUnpaidCarer = Text(7),
                    ClientType = Text(8),
                    CouncilCode = Text(9),
                };
                people[person.PersonId] = person;
            }
        return new CldData(events, people);
    }

    /// <summary>The council's latest CLD data-quality report, in report order.</summary>
    public IReadOnlyList<CldQualityLine> Quality(string council)
    {
        using var connection = store.Open();
        var examples = new Dictionary<int, List<CldExample>>();
        using (var cmd = Command(connection, "SELECT line_no, file, file_row, value FROM cld_quality_examples WHERE council_code = $council ORDER BY line_no, example_no", council))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
            {
                var line = r.GetInt32(0);
                if (!examples.TryGetValue(line, out var list)) examples[line] = list = [];
                list.Add(new CldExample(r.GetString(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3)));
            }
        var lines = new List<CldQualityLine>();
        using (var cmd = Command(connection, "SELECT line_no, section, field, category, row_count FROM cld_quality WHERE council_code = $council ORDER BY line_no", council))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                lines.Add(new CldQualityLine(r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), examples.GetValueOrDefault(r.GetInt32(0)) ?? []));
        return lines;
    }

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, string council)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.Add(new DuckDBParameter("council", council));
        return cmd;
    }
}
