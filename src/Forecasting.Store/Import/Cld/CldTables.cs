namespace Forecasting.Store.Import.Cld;

/// <summary>
/// The store's CLD tables (Migrations/015_cld.sql). They are listed with the importable tables so snapshots, hashes, the
/// good copy and recovery cover them, but no file fills them directly: the CLD import derives them from submissions.
/// </summary>
public static class CldTables
{
    /// <summary>The table name an import gives CLD submission files (<see cref="ImportFileSpec.Table"/>); any number of them per import.</summary>
    public const string Submission = "cld";

    public const string Events = "cld_events";
    public const string People = "cld_people";
    public const string Quality = "cld_quality";
    public const string QualityExamples = "cld_quality_examples";

    /// <summary>A file name that is a CLD submission: cld*.csv or cld*.parquet, other than the names of the derived tables.</summary>
    public static bool IsSubmissionFile(string fileNameWithoutExtension) =>
        fileNameWithoutExtension.StartsWith(Submission, StringComparison.OrdinalIgnoreCase) && !Names.Contains(fileNameWithoutExtension, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<string> Names => [Events, People, Quality, QualityExamples];

    private static ColumnSpec Text(string name, bool required = false) => new(name, Required: required);
    private static ColumnSpec Date(string name, bool required = false) => new(name, ColumnType.Date, required);
    private static ColumnSpec Whole(string name, bool required = false) => new(name, ColumnType.Integer, required);
    private static ColumnSpec Number(string name) => new(name, ColumnType.Double, Required: false);

    public static readonly IReadOnlyList<TableSpec> Specs =
    [
        new(Events,
            [Text("council_code", true), Text("event_key", true), Whole("record_id", true), Text("person_id", true), Text("la_person_id"),
             Text("client_type", true), Text("event_type", true), Date("start_date", true), Date("end_date"), Text("event_outcome"),
             Whole("outcome_hierarchy"), Text("route_of_access"), Text("assessment_type"), Text("eligible_needs_identified"),
             Text("service_type"), Text("service_component"), Text("delivery_mechanism"), Number("unit_cost"), Text("cost_frequency_unit_type"),
             Number("planned_units_per_week"), Text("review_reason"), Text("review_outcomes_achieved"), Text("total_hours_caring"),
             Text("linked_person_1"), Text("linked_person_2"), Text("linked_person_3"), Whole("birth_year"), Whole("birth_month"),
             Date("date_of_death"), Text("gender"), Text("primary_support_reason"), Text("accommodation_status")],
            ["council_code", "event_key"], "start_date", [], [], Optional: true, FilledBy: Submission),
        new(People,
            [Text("council_code", true), Text("person_id", true), Text("la_person_id"), Date("birth_date"), Date("date_of_death"), Text("gender"),
             Text("primary_support_reason"), Text("accommodation_status"), Text("has_unpaid_carer"), Text("client_type")],
            ["council_code", "person_id"], null, [], [], Optional: true, FilledBy: Submission),
        new(Quality,
            [Text("council_code", true), Whole("line_no", true), Text("section", true), Text("field", true), Text("category", true), Whole("row_count", true)],
            ["council_code", "line_no"], null, [], [], Optional: true, FilledBy: Submission),
        new(QualityExamples,
            [Text("council_code", true), Whole("line_no", true), Whole("example_no", true), Text("file", true), Whole("file_row", true), Text("value")],
            ["council_code", "line_no", "example_no"], null, [], [], Optional: true, FilledBy: Submission),
    ];
}
