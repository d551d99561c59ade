using System.Text;
using System.Text.Json;
using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Tests.Support;

namespace Forecasting.Tests.Store;

/// <summary>
/// Strict validation: plausible date windows, no numeric or date coercion (CSV and Parquet), CSV
/// structure errors with line and column, any header name, bounded reports, the shrink guard and
/// the dry-run diff. Every failing import must leave the store exactly as it was.
/// </summary>
[Trait("Category", "integration")]
public sealed class StrictImportTests
{
    [Theory]
    [InlineData("2023-02-30", "2023-02-30 is not a real date (no such day)")]
    [InlineData("2023-2-5", "'2023-2-5' is not a date in the form yyyy-mm-dd")]
    [InlineData("31/01/2025", "'31/01/2025' is not a date in the form yyyy-mm-dd")]
    public void An_as_of_date_that_is_not_a_date_says_whether_the_form_or_the_day_is_wrong(string text, string message)
    {
        var error = Assert.Throws<Forecasting.Domain.InvalidArgumentException>(() => DataImporter.ParseAsOf(text));
        Assert.Contains(message, error.Message);
        Assert.Equal(new DateOnly(2024, 2, 29), DataImporter.ParseAsOf("2024-02-29"));
    }

    /// <summary>Pinned as today, the default as-of date, so the windows' upper ends are fixed: events to 2025-06-30, planned dates to 2040-06-30.</summary>
    private static readonly DateOnly AsOf = new(2025, 6, 30);

    private const string Council = "E06009999";

    private sealed record Loaded(ForecastingStore Store, DataImporter Importer, string Snapshot, Dictionary<string, long> Counts)
    {
        public void AssertUnchanged()
        {
            Assert.Equal(Snapshot, Store.CurrentSnapshot()!.SnapshotId);
            Assert.Equal(Counts, StrictImportTests.Counts(Store));
        }
    }

    private static Loaded LoadedStore()
    {
        var store = new ForecastingStore(new StoreOptions { Path = Path.Combine(RepoPaths.TempDirectory(), "s.duckdb") });
        var importer = new DataImporter(store) { AsOf = () => AsOf };
        var report = importer.ImportDirectory(RepoPaths.Bad("warnings"));
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        return new Loaded(store, importer, report.SnapshotId!, Counts(store));
    }

    private static Dictionary<string, long> Counts(ForecastingStore store) => StoreCounts.Of(store);

    /// <summary>A copy of the small valid dataset's file with cells replaced: (file line, column, value).</summary>
    private static string Edited(string table, params (int Line, string Column, string Value)[] edits)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Bad("warnings"), table + ".csv"));
        var header = lines[0].Split(',');
        foreach (var (line, column, value) in edits)
        {
            var fields = lines[line - 1].Split(',');
            fields[Array.IndexOf(header, column)] = value;
            lines[line - 1] = string.Join(',', fields);
        }
        var path = Path.Combine(RepoPaths.TempDirectory(), table + ".csv");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static string Written(string fileName, string text)
    {
        var path = Path.Combine(RepoPaths.TempDirectory(), fileName);
        File.WriteAllText(path, text);
        return path;
    }

    private static ValidationIssue SingleError(ImportReport report)
    {
        Assert.False(report.Succeeded);
        Assert.Null(report.SnapshotId);
        Assert.Equal(1, report.ErrorCount);
        return Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error);
    }

    // ---- 4. plausible dates ------------------------------------------------------------------

    [Theory]
    [InlineData("contacts", 2, "contact_date", "1800-01-01", "implausible date: before 1990-01-01")]
    [InlineData("contacts", 3, "contact_date", "1989-12-31", "implausible date: before 1990-01-01")]
    [InlineData("contacts", 3, "contact_date", "2999-01-01", "dated after the import's as-of date 2025-06-30")]
    [InlineData("contacts", 4, "contact_date", "9999-12-31", "dated after the import's as-of date 2025-06-30")]
    [InlineData("admissions", 2, "admission_date", "1850-03-01", "implausible date: before 1950-01-01")]
    [InlineData("leavers", 2, "leave_date", "2025-07-01", "dated after the import's as-of date 2025-06-30")]
    [InlineData("transitions", 2, "date_of_birth", "9990-01-01", "dated after the import's as-of date 2025-06-30")]
    [InlineData("transitions", 3, "date_of_birth", "1899-12-31", "implausible date: before 1900-01-01")]
    [InlineData("pipeline", 2, "expected_date", "2040-07-01", "implausible date: after 2040-06-30")]
    [InlineData("pipeline", 2, "expected_date", "1989-12-31", "implausible date: before 1990-01-01")]
    [InlineData("unit_status", 2, "valid_from", "1949-12-31", "implausible date: before 1950-01-01")]
    public void A_date_outside_its_window_is_an_error(string table, int line, string column, string value, string reason)
    {
        var loaded = LoadedStore();
        var report = loaded.Importer.Import([new ImportFileSpec(table, Edited(table, (line, column, value)))]);

        var error = Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error
            && (i.Reason.StartsWith("implausible") || i.Reason.StartsWith("dated after")));
        Assert.Equal((table + ".csv", (long)line, column, value), (error.File, error.Row, error.Column, error.Value));
        Assert.Equal(reason, error.Reason.Split(" (")[0].Split(":")[0] == "implausible date" ? error.Reason.Split(" (")[0] : error.Reason.Split(":")[0]);
        Assert.False(report.Succeeded);
        loaded.AssertUnchanged();
    }

    [Fact]
    public void A_date_of_birth_after_the_recorded_date_is_an_error()
    {
        var loaded = LoadedStore();
        // Within the birth window (before the as-of date) but after the same row's recorded_date 2025-03-10.
        var report = loaded.Importer.Import([new ImportFileSpec("transitions", Edited("transitions", (2, "date_of_birth", "2025-04-01")))]);

        var error = SingleError(report);
        Assert.Equal(("transitions.csv", 2L, "date_of_birth", "date_of_birth is after the recorded_date"), (error.File, error.Row, error.Column, error.Reason));
        loaded.AssertUnchanged();
    }

    [Fact]
    public void The_window_ends_move_with_the_as_of_date_and_the_report_states_it()
    {
        var loaded = LoadedStore();
        var file = Edited("contacts", (2, "contact_date", "2025-06-30"));
        var atEdge = loaded.Importer.Import([new ImportFileSpec("contacts", file)], dryRun: true);
        Assert.True(atEdge.Succeeded, string.Join("; ", atEdge.Issues));
        Assert.Equal(AsOf, atEdge.AsOfDate);
        // The same row is after the as-of date when the import runs a day earlier, or states an earlier date.
        Assert.False(loaded.Importer.Import([new ImportFileSpec("contacts", file)], dryRun: true, asOf: AsOf.AddDays(-1)).Succeeded);
        loaded.Importer.AsOf = () => AsOf.AddDays(-1);
        Assert.False(loaded.Importer.Import([new ImportFileSpec("contacts", file)], dryRun: true).Succeeded);
    }

    // ---- 5. no coercion: CSV --------------------------------------------------------------------

    [Theory]
    [InlineData("admissions", 2, "age_at_admission", "70.6", "not a whole number")]
    [InlineData("admissions", 2, "age_at_admission", "4.3e4", "not a whole number")]
    [InlineData("admissions", 2, "age_at_admission", "0x10", "not a whole number")]
    [InlineData("admissions", 2, "age_at_admission", "+70", "not a whole number")]
    [InlineData("pipeline", 2, "units", "1_4", "not a whole number")]
    [InlineData("contacts", 2, "contact_date", "2023-2-5", "not a date in the form yyyy-mm-dd")]
    [InlineData("contacts", 2, "contact_date", "2023-02-30", "not a real date: the form is yyyy-mm-dd but no such day exists")]
    [InlineData("contacts", 2, "contact_date", "2023-13-01", "not a real date: the form is yyyy-mm-dd but no such day exists")]
    [InlineData("contacts", 2, "contact_date", "20230205", "not a date in the form yyyy-mm-dd")]
    [InlineData("transitions", 2, "likelihood", "NaN", "not a number (NaN or infinity)")]
    [InlineData("transitions", 2, "likelihood", "-Infinity", "not a number (NaN or infinity)")]
    [InlineData("transitions", 2, "likelihood", "inf", "not a number (NaN or infinity)")]
    [InlineData("transitions", 2, "likelihood", "8.5e-1", "not a plain decimal number")]
    [InlineData("transitions", 2, "likelihood", ".85", "not a plain decimal number")]
    [InlineData("transitions", 2, "likelihood", "0.85001", "more than 4 decimal places")]
    [InlineData("transitions", 2, "likelihood", "1.5", "above the maximum of 1")]
    [InlineData("strategies", 2, "created_at", "2021-4-1 09:00:00", "not a date and time")]
    public void A_value_that_would_need_coercion_is_an_error(string table, int line, string column, string value, string reason)
    {
        var loaded = LoadedStore();
        var report = loaded.Importer.Import([new ImportFileSpec(table, Edited(table, (line, column, value)))]);

        var error = SingleError(report);
        Assert.Equal((table + ".csv", (long)line, column, value), (error.File, error.Row, error.Column, error.Value));
        Assert.StartsWith(reason, error.Reason);
        loaded.AssertUnchanged();
    }

    [Fact]
    public void Plain_values_with_trailing_zeros_and_negative_zero_forms_are_accepted()
    {
        var loaded = LoadedStore();
        var report = loaded.Importer.Import([new ImportFileSpec("transitions", Edited("transitions", (2, "likelihood", "0.850000"), (3, "likelihood", "1")))],
            dryRun: true);
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
    }

    // ---- 5. no coercion: Parquet ----------------------------------------------------------------

    /// <summary>Writes a table's CSV from the small dataset to Parquet with one column given a SQL type and one row a value.</summary>
    private static string Parquet(ForecastingStore store, string table, string column, string sqlType, int line, string literal)
    {
        var csv = Path.Combine(RepoPaths.Bad("warnings"), table + ".csv");
        var header = File.ReadLines(csv).First().Split(',');
        var select = string.Join(", ", header.Select(h => h == column
            ? $"CASE WHEN row_number() OVER () = {line - 1} THEN {literal} ELSE CAST(\"{h}\" AS {sqlType}) END AS \"{h}\""
            : $"\"{h}\""));
        var path = Path.Combine(RepoPaths.TempDirectory(), table + ".parquet");
        using var connection = store.Open();
        ForecastingStore.Execute(connection,
            $"COPY (SELECT {select} FROM read_csv('{csv}', all_varchar = true)) TO '{path}' (FORMAT parquet)");
        return path;
    }

    [Theory]
    [InlineData("admissions", "age_at_admission", "DOUBLE", "CAST(48.4 AS DOUBLE)", "48.4", "not a whole number")]
    [InlineData("admissions", "age_at_admission", "DECIMAL(6,2)", "CAST(48.5 AS DECIMAL(6,2))", "48.50", "not a whole number")]
    [InlineData("transitions", "likelihood", "DOUBLE", "CAST('NaN' AS DOUBLE)", "nan", "not a number (NaN or infinity)")]
    [InlineData("transitions", "likelihood", "DOUBLE", "CAST(1e-7 AS DOUBLE)", "1e-07", "not a plain decimal number")]
    [InlineData("contacts", "contact_date", "VARCHAR", "'2023-2-5'", "2023-2-5", "not a date in the form yyyy-mm-dd")]
    [InlineData("contacts", "contact_date", "TIMESTAMP", "TIMESTAMP '2024-07-15 10:30:00'", "2024-07-15 10:30:00", "not a date in the form yyyy-mm-dd")]
    [InlineData("contacts", "contact_date", "DATE", "DATE '1800-01-01'", "1800-01-01", "implausible date")]
    public void Parquet_values_are_checked_against_the_column_type_not_truncated(
        string table, string column, string sqlType, string literal, string shown, string reason)
    {
        var loaded = LoadedStore();
        var report = loaded.Importer.Import([new ImportFileSpec(table, Parquet(loaded.Store, table, column, sqlType, 3, literal))]);

        var error = SingleError(report);
        Assert.Equal((table + ".parquet", 3L, column), (error.File, error.Row, error.Column));
        Assert.Equal(shown, error.Value);
        Assert.StartsWith(reason, error.Reason);
        loaded.AssertUnchanged();
    }

    [Fact]
    public void Parquet_whole_doubles_dates_and_midnight_timestamps_are_accepted()
    {
        var loaded = LoadedStore();
        var ages = Parquet(loaded.Store, "admissions", "age_at_admission", "DOUBLE", 3, "CAST(107.0 AS DOUBLE)");
        var dates = Parquet(loaded.Store, "contacts", "contact_date", "TIMESTAMP", 3, "TIMESTAMP '2024-07-15 00:00:00'");
        var report = loaded.Importer.Import([new ImportFileSpec("admissions", ages), new ImportFileSpec("contacts", dates)]);
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        // The same rows as the CSV: same content hash.
        Assert.Equal(loaded.Snapshot, report.SnapshotId);
    }

    [Fact]
    public void A_parquet_column_of_lists_is_a_type_error()
    {
        var loaded = LoadedStore();
        var csv = Path.Combine(RepoPaths.Bad("warnings"), "admissions.csv");
        var path = Path.Combine(RepoPaths.TempDirectory(), "admissions.parquet");
        using (var connection = loaded.Store.Open())
            ForecastingStore.Execute(connection,
                $"COPY (SELECT * REPLACE ([1, 2] AS age_at_admission) FROM read_csv('{csv}', all_varchar = true)) TO '{path}' (FORMAT parquet)");
        var report = loaded.Importer.Import([new ImportFileSpec("admissions", path)]);
        var error = SingleError(report);
        Assert.Equal(("admissions.parquet", "age_at_admission"), (error.File, error.Column));
        Assert.Contains("expected whole numbers", error.Reason);
        loaded.AssertUnchanged();
    }

    // ---- 9. CSV structure ------------------------------------------------------------------------

    private const string ContactsHeader = "council_code,contact_id,contact_date,route,channel,age_band,psr,locality,outcome,repeat_within_12m";
    private const string ContactRow = "E06009999,C{0:D7},2024-04-02,community,phone,85+,physical_support,HBC01,information_advice,false";

    private static string Contacts(int rows, Func<int, string?>? lineAt = null)
    {
        var text = new StringBuilder(ContactsHeader).Append('\n');
        for (var line = 2; line < rows + 2; line++)
            text.Append(lineAt?.Invoke(line) ?? string.Format(System.Globalization.CultureInfo.InvariantCulture, ContactRow, line)).Append('\n');
        return text.ToString();
    }

    public static TheoryData<string, string, long, string, string> StructureCases => new()
    {
        { "extra field", Contacts(6, l => l == 4 ? string.Format(ContactRow, 4) + ",surplus" : null), 4, "", "too many fields: the header has 10" },
        { "missing field", Contacts(6, l => l == 5 ? "E06009999,C0000005,2024-04-02,community,phone,85+,physical_support,HBC01,information_advice" : null), 5, "repeat_within_12m", "too few fields: the header has 10" },
        { "unterminated quote near the top", Contacts(6, l => l == 2 ? "E06009999,\"C0000002,2024-04-02,community,phone,85+,physical_support,HBC01,information_advice,false" : null), 2, "contact_id", "a quoted field is not closed" },
        { "3 MB field", Contacts(8, l => l == 6 ? $"E06009999,C0000006,2024-04-02,community,phone,85+,physical_support,{new string('x', 3_000_000)},information_advice,false" : null), 6, "", "line longer than the 2,000,000-byte limit" },
    };

    [Theory]
    [MemberData(nameof(StructureCases))]
    public void A_csv_structure_error_names_line_column_and_reason(string _, string text, long line, string column, string reason)
    {
        var loaded = LoadedStore();
        var path = Written("contacts.csv", text);
        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);

        Assert.False(report.Succeeded);
        var error = Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error && i.Row > 0);
        Assert.Equal(("contacts.csv", line, column), (error.File, error.Row, error.Column));
        Assert.StartsWith(reason, error.Reason);
        AssertNothingInternal(report, path);
        loaded.AssertUnchanged();
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_are_read_as_the_same_rows()
    {
        var loaded = LoadedStore();
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Bad("warnings"), "contacts.csv"));
        var path = Path.Combine(RepoPaths.TempDirectory(), "contacts.csv");
        File.WriteAllText(path, string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        Assert.Equal(loaded.Snapshot, report.SnapshotId);
    }

    [Fact]
    public void Line_numbers_count_newlines_inside_quoted_fields()
    {
        var loaded = LoadedStore();
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Bad("warnings"), "schemes.csv")).ToList();
        var header = lines[0].Split(',');
        // The first scheme's name spans three lines, so the second scheme, line 3 of the original, starts on line 5.
        var first = lines[1].Split(',');
        first[Array.IndexOf(header, "name")] = "\"North\nHouse\nAnnex\"";
        lines[1] = string.Join(',', first);
        lines[2] = lines[2].Replace(",shared_house,", ",castle,");   // this row has a quoted comma: edit in place
        var path = Written("schemes.csv", string.Join('\n', lines) + "\n");

        var report = loaded.Importer.Import([new ImportFileSpec("schemes", path)]);

        var error = SingleError(report);
        Assert.Equal((5L, "category", "castle"), (error.Row, error.Column, error.Value));
        loaded.AssertUnchanged();
    }

    [Fact]
    public void Many_structure_errors_are_counted_exactly_and_listed_up_to_the_bound()
    {
        var loaded = LoadedStore();
        // Every odd line has an extra field: 250 of 500 rows.
        var path = Written("contacts.csv", Contacts(500, l => l % 2 == 1 ? string.Format(ContactRow, l) + ",x" : null));
        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);

        var summary = Assert.Single(report.Summaries!, s => s.Rule.StartsWith("too many fields"));
        Assert.Equal((250L, DataImporter.MaxIssuesPerRule), (summary.Count, summary.Listed));
        var listed = report.Issues.Where(i => i.Reason.StartsWith("too many fields")).Select(i => i.Row).ToList();
        Assert.Equal(Enumerable.Range(0, DataImporter.MaxIssuesPerRule).Select(i => 3L + 2 * i), listed);
        Assert.Contains(report.Issues, i => i.Row == 0 && i.Reason.StartsWith("250 lines could not be read"));
        loaded.AssertUnchanged();
    }

    [Fact]
    public void Invalid_utf8_is_named_with_its_line_and_column()
    {
        var loaded = LoadedStore();
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(Contacts(2)));
        bytes.AddRange(Encoding.UTF8.GetBytes("E06009999,C0000004,2024-04-02,community,phone,85+,physical_support,HBC"));
        bytes.AddRange([0xFF, 0xFE]);
        bytes.AddRange(Encoding.UTF8.GetBytes(",information_advice,false\n"));
        var path = Path.Combine(RepoPaths.TempDirectory(), "contacts.csv");
        File.WriteAllBytes(path, bytes.ToArray());

        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);

        var error = Assert.Single(report.Issues, i => i.Severity == IssueSeverity.Error && i.Row > 0);
        Assert.Equal((4L, "locality", "not valid UTF-8 text"), (error.Row, error.Column, error.Reason));
        AssertNothingInternal(report, path);
        loaded.AssertUnchanged();
    }

    [Fact]
    public void An_unclosed_quote_in_the_header_is_reported_on_line_1_without_duckdb_text()
    {
        var loaded = LoadedStore();
        var path = Written("contacts.csv", "council_code,\"contact_id,contact_date\nE06009999,C1,2024-04-02\n");
        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);
        var error = SingleError(report);
        Assert.Equal(1, error.Row);
        Assert.Contains("quote in the header is never closed", error.Reason);
        AssertNothingInternal(report, path);
    }

    [Fact]
    public void A_column_named_rowid_or_with_odd_characters_does_not_break_the_import()
    {
        var loaded = LoadedStore();
        var original = File.ReadAllLines(Path.Combine(RepoPaths.Bad("warnings"), "contacts.csv"));
        var lines = original.Select((l, i) => (i == 0 ? "rowid,\"we\"\"ird\"," : $"{i},x,") + l);
        var path = Written("contacts.csv", string.Join('\n', lines) + "\n");

        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);

        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        Assert.Contains(report.Issues, i => i is { Severity: IssueSeverity.Warning, Row: 1, Column: "rowid" } && i.Reason.Contains("ignored"));
        // The quoted name is not plain, so it is referred to by position only.
        Assert.Contains(report.Issues, i => i is { Severity: IssueSeverity.Warning, Row: 1, Column: "column 2" });
        Assert.Equal(loaded.Snapshot, report.SnapshotId);

        // The same in Parquet, with rowid holding values that are not row numbers.
        var parquet = Path.Combine(RepoPaths.TempDirectory(), "contacts.parquet");
        using (var connection = loaded.Store.Open())
            ForecastingStore.Execute(connection,
                $"COPY (SELECT CAST(rowid AS BIGINT) * 7 AS rowid, * EXCLUDE (rowid) FROM read_csv('{path}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)");
        var fromParquet = loaded.Importer.Import([new ImportFileSpec("contacts", parquet)]);
        Assert.True(fromParquet.Succeeded, string.Join("; ", fromParquet.Issues));
        Assert.Equal(loaded.Snapshot, fromParquet.SnapshotId);
        Assert.Contains(fromParquet.Issues, i => i is { File: "contacts.parquet", Row: 8, Column: "contact_date", Severity: IssueSeverity.Warning });
    }

    [Fact]
    public void A_file_that_is_not_the_table_is_refused_without_echoing_its_contents()
    {
        var loaded = LoadedStore();
        var secret = Written("councils.csv", "api_token=sk-live-0123456789abcdef\nsecond line\n");
        var host = Written("localities.csv", "build-host-17.internal\n");
        var longName = Written("councils.csv", "council_code,name,region," + new string('z', 300) + "\nE06009999,Harbridge,East Midlands,x\n");

        var report = loaded.Importer.Import([new ImportFileSpec("councils", secret), new ImportFileSpec("localities", host)]);
        Assert.False(report.Succeeded);
        Assert.Contains(report.Issues, i => i is { File: "councils.csv", Row: 1 } && i.Reason.StartsWith("none of the columns of councils were found"));
        var stored = JsonSerializer.Serialize(loaded.Importer.GetReport(report.ImportId));
        Assert.DoesNotContain("api_token", stored);
        Assert.DoesNotContain("sk-live", stored);
        Assert.DoesNotContain("build-host", stored);

        var extra = loaded.Importer.Import([new ImportFileSpec("councils", longName)], dryRun: true);
        Assert.True(extra.Succeeded);
        Assert.Contains(extra.Issues, i => i is { Column: "column 4" } && i.Reason.Contains("ignored"));
        Assert.DoesNotContain("zzzz", JsonSerializer.Serialize(extra));
        loaded.AssertUnchanged();
    }

    [Fact]
    public void An_unreadable_parquet_file_is_reported_in_plain_words()
    {
        var loaded = LoadedStore();
        var path = Written("contacts.parquet", "this is not parquet at all");
        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);
        var error = SingleError(report);
        Assert.Equal("cannot read the file as PARQUET: it is not a readable PARQUET file", error.Reason);
        AssertNothingInternal(report, path);
    }

    [Fact]
    public void An_unknown_extension_without_a_format_is_refused()
    {
        var loaded = LoadedStore();
        var path = Written("contacts.txt", File.ReadAllText(Path.Combine(RepoPaths.Bad("warnings"), "contacts.csv")));
        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);
        Assert.Equal("format", SingleError(report).Column);
        Assert.True(loaded.Importer.Import([new ImportFileSpec("contacts", path, FileFormat.Csv)], dryRun: true).Succeeded);
    }

    private static void AssertNothingInternal(ImportReport report, string path)
    {
        var text = JsonSerializer.Serialize(report);
        Assert.DoesNotContain(Path.GetDirectoryName(path)!, text);
        Assert.DoesNotContain("Error:", text);
        Assert.DoesNotContain("sniff", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DuckDB", text, StringComparison.OrdinalIgnoreCase);
    }

    // ---- 3. bounded reports -------------------------------------------------------------------

    [Fact]
    public void Fifty_thousand_bad_rows_list_the_first_hundred_per_rule_and_count_all()
    {
        const int rows = 50_000;
        var loaded = LoadedStore();
        // Every row has a bad route; every third row also an unparseable date.
        var path = Written("contacts.csv", Contacts(rows, l =>
            $"E06009999,C{l:D7},{(l % 3 == 0 ? "2023-2-5" : "2024-04-02")},walk_in,phone,85+,physical_support,HBC01,information_advice,false"));
        var badDates = Enumerable.Range(2, rows).Count(l => l % 3 == 0);

        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);

        Assert.False(report.Succeeded);
        Assert.Equal(rows + badDates, report.ErrorCount);
        var route = report.Issues.Where(i => i.Column == "route").ToList();
        var date = report.Issues.Where(i => i.Column == "contact_date").ToList();
        Assert.Equal(DataImporter.MaxIssuesPerRule, route.Count);
        Assert.Equal(DataImporter.MaxIssuesPerRule, date.Count);
        // The first rows in file order.
        Assert.Equal(Enumerable.Range(2, DataImporter.MaxIssuesPerRule).Select(l => (long)l), route.Select(i => i.Row));
        Assert.Equal(3L, date[0].Row);
        var summaries = report.Summaries!;
        Assert.Contains(summaries, s => s is { Column: "route", Count: rows, Listed: DataImporter.MaxIssuesPerRule });
        Assert.Contains(summaries, s => s.Column == "contact_date" && s.Count == badDates);
        // Listed counts what the report holds.
        foreach (var s in summaries)
            Assert.Equal(report.Issues.Count(i => i.Column == s.Column && i.Severity == s.Severity && i.File == s.File), s.Listed);
        loaded.AssertUnchanged();
    }

    [Fact]
    public void The_memory_limit_applies_during_the_import_only()
    {
        var loaded = LoadedStore();
        string Limit()
        {
            using var connection = loaded.Store.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT current_setting('memory_limit')";
            return (string)cmd.ExecuteScalar()!;
        }
        var before = Limit();
        string? during = null;
        loaded.Importer.BeforeTableSwap = _ => during ??= Limit();
        Assert.True(loaded.Importer.ImportDirectory(RepoPaths.Bad("warnings")).Succeeded);
        Assert.NotEqual(before, during);
        Assert.StartsWith("488", during);   // 512 MB = 488.2 MiB
        // DuckDB shows the limit rounded to 0.1 of its unit, so restoring it may move it by that much.
        static (double Value, string Unit) Parse(string text) =>
            (double.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture), text.Split(' ')[1]);
        var (after, afterUnit) = Parse(Limit());
        var (original, unit) = Parse(before);
        Assert.Equal(unit, afterUnit);
        Assert.InRange(after, original - 0.1, original + 0.1);
    }

    // ---- 8. shrink guard and diff ---------------------------------------------------------------

    [Fact]
    public void An_import_removing_more_than_half_of_a_councils_rows_needs_allow_shrink()
    {
        var loaded = LoadedStore();
        var all = File.ReadAllLines(Path.Combine(RepoPaths.Bad("warnings"), "contacts.csv"));
        var path = Written("contacts.csv", string.Join('\n', all.Take(3)) + "\n");   // header + 2 of 7 rows
        var kept = all.Length - 1 - 2;

        var refused = loaded.Importer.Import([new ImportFileSpec("contacts", path)]);
        var error = SingleError(refused);
        Assert.Equal(("contacts.csv", 0L, Council), (error.File, error.Row, error.Value));
        Assert.StartsWith($"would remove {kept} of the {all.Length - 1} contacts rows of council {Council}", error.Reason);
        Assert.Contains("(71.4%, more than the 50% limit) and add 0;", error.Reason);
        Assert.Contains("allow_shrink", error.Reason);
        loaded.AssertUnchanged();

        var allowed = loaded.Importer.Import([new ImportFileSpec("contacts", path)], allowShrink: true);
        Assert.True(allowed.Succeeded, string.Join("; ", allowed.Issues));
        Assert.Equal(2, Counts(loaded.Store)["contacts"]);
    }

    [Fact]
    public void Removing_at_most_half_passes_without_allow_shrink()
    {
        var loaded = LoadedStore();
        var all = File.ReadAllLines(Path.Combine(RepoPaths.Bad("warnings"), "contacts.csv"));
        var keep = (all.Length - 1 + 1) / 2 + 1;   // 4 of 7: 3 removed (43%)
        var path = Written("contacts.csv", string.Join('\n', all.Take(1 + keep)) + "\n");
        Assert.True(loaded.Importer.Import([new ImportFileSpec("contacts", path)]).Succeeded);
        Assert.Equal(keep, Counts(loaded.Store)["contacts"]);
    }

    [Fact]
    public void A_dry_run_reports_rows_added_removed_and_changed_per_table_and_council()
    {
        var loaded = LoadedStore();
        var oldLines = File.ReadAllLines(Path.Combine(RepoPaths.Bad("warnings"), "contacts.csv"));
        // Drop line 2, change the outcome on line 3, add a contact, and a contact of a second council.
        var newLines = oldLines.Where((_, i) => i != 1)
            .Select(l => l.StartsWith("E06009999,C0000002,") ? l.Replace("short_term_support", "long_term_support") : l)
            .Append("E06009999,C0000099,2024-05-01,community,phone,65-74,,HBC01,information_advice,false")
            .ToList();
        var path = Written("contacts.csv", string.Join('\n', newLines) + "\n");

        var report = loaded.Importer.Import([new ImportFileSpec("contacts", path)], dryRun: true);

        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        // Expected figures from the two files with plain C#: rows keyed by contact_id.
        static Dictionary<string, string> ById(IEnumerable<string> lines) => lines.Skip(1).ToDictionary(l => l.Split(',')[1]);
        var before = ById(oldLines);
        var after = ById(newLines);
        var change = Assert.Single(report.Changes!);
        Assert.Equal(("contacts", Council), (change.Table, change.CouncilCode));
        Assert.Equal(before.Count, change.RowsBefore);
        Assert.Equal(after.Keys.Count(k => !before.ContainsKey(k)), change.RowsAdded);
        Assert.Equal(before.Keys.Count(k => !after.ContainsKey(k)), change.RowsRemoved);
        Assert.Equal(after.Count(kv => before.TryGetValue(kv.Key, out var old) && old != kv.Value), change.RowsChanged);
        Assert.Equal(after.Count(kv => before.TryGetValue(kv.Key, out var old) && old == kv.Value), change.RowsUnchanged);
        Assert.Equal((1L, 1L, 1L), (change.RowsAdded, change.RowsRemoved, change.RowsChanged));
        loaded.AssertUnchanged();
    }

    [Fact]
    public void Reimporting_the_sample_reports_every_row_unchanged()
    {
        var loaded = LoadedStore();
        var report = loaded.Importer.ImportDirectory(RepoPaths.Bad("warnings"), dryRun: true);
        Assert.True(report.Succeeded);
        Assert.Equal(TableSchemas.All.Count(t => !t.Optional), report.Changes!.Count);
        foreach (var change in report.Changes!)
        {
            Assert.Equal((0L, 0L, 0L), (change.RowsAdded, change.RowsRemoved, change.RowsChanged));
            Assert.Equal(loaded.Counts[change.Table], change.RowsUnchanged);
        }
    }

    // ---- strategy targets (optional file) --------------------------------------------------------

    private const string TargetsHeader = "council_code,strategy_id,version,client_group,fy,unit_target\n";

    [Fact]
    public void Strategy_targets_are_optional_and_imported_when_given()
    {
        var loaded = LoadedStore();
        Assert.Equal(0, loaded.Counts["strategy_targets"]);
        var file = Written("strategy_targets.csv", TargetsHeader +
            "E06009999,sl-2024,1,ld_autism,2025/26,40\nE06009999,sl-2024,1,ld_autism,2026/27,60\nE06009999,sl-2024,1,mental_health,,100\n");
        var report = loaded.Importer.Import([new ImportFileSpec("strategy_targets", file)]);
        Assert.True(report.Succeeded, string.Join("; ", report.Issues));
        Assert.Equal(3, Counts(loaded.Store)["strategy_targets"]);
    }

    [Theory]
    [InlineData("E06009999,sl-2024,1,x,2025/26,40", "client_group", "x")]
    [InlineData("E06009999,sl-2024,1,ld_autism,2031/32,40", "fy", "2031")]
    [InlineData("E06009999,sl-2024,1,ld_autism,2025/26,-4", "unit_target", "-4")]
    [InlineData("E06009999,sl-2099,1,ld_autism,2025/26,40", "strategy_id+version", null)]
    public void A_strategy_target_row_is_validated_like_the_other_tables(string row, string column, string? value)
    {
        var loaded = LoadedStore();
        var report = loaded.Importer.Import([new ImportFileSpec("strategy_targets", Written("strategy_targets.csv", TargetsHeader + row + "\n"))]);
        var error = SingleError(report);
        Assert.Equal(("strategy_targets.csv", 2L, column), (error.File, error.Row, error.Column));
        if (value is not null) Assert.Equal(value, error.Value);
        loaded.AssertUnchanged();
    }

    [Fact]
    public void Annual_and_whole_period_targets_of_one_group_are_an_error()
    {
        var loaded = LoadedStore();
        var report = loaded.Importer.Import([new ImportFileSpec("strategy_targets", Written("strategy_targets.csv", TargetsHeader +
            "E06009999,sl-2024,1,ld_autism,2025/26,40\nE06009999,sl-2024,1,ld_autism,,60\n"))]);
        var error = SingleError(report);
        Assert.Equal((3L, "fy"), (error.Row, error.Column));
        Assert.Contains("both annual targets and a target for the whole period", error.Reason);
        loaded.AssertUnchanged();
    }

    // ---- 12. upload staging -------------------------------------------------------------------

    [Fact]
    public void Leftover_upload_directories_are_removed_but_a_running_upload_is_kept()
    {
        var root = RepoPaths.TempDirectory();
        using var running = UploadStaging.Create(root);
        File.WriteAllText(Path.Combine(running.Directory, "000-contacts.csv"), "x");
        // What a killed server leaves: a directory and its lock file, the lock no longer held.
        var killed = UploadStaging.Create(root);
        var killedDirectory = killed.Directory;
        File.WriteAllText(Path.Combine(killedDirectory, "000-contacts.csv"), "x");
        var lockField = typeof(UploadStaging.Lease).GetField("_lock", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        ((FileStream)lockField.GetValue(killed)!).Dispose();
        var bare = Directory.CreateDirectory(Path.Combine(root, "upload-old")).FullName;

        var removed = UploadStaging.CleanLeftovers(root);

        Assert.Equal(2, removed);
        Assert.False(Directory.Exists(killedDirectory));
        Assert.False(Directory.Exists(bare));
        Assert.True(File.Exists(Path.Combine(running.Directory, "000-contacts.csv")));
        running.Dispose();
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }
}
