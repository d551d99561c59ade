using System.Globalization;
using CsvHelper;
using Parquet;
using Parquet.Schema;

namespace Forecasting.Cld.Reading;

/// <summary>
/// Streams the rows of one CLD submission file (CSV or Parquet in the local layout): columns are found by name
/// (any order, letter case ignored; extra columns are ignored), one row is in memory at a time.
/// </summary>
public static class CldFileReader
{
    /// <summary>Rows of the file; unreadable cells, malformed lines and missing columns go to <paramref name="errors"/> and their rows are skipped.</summary>
    public static IEnumerable<CldRow> Read(string path, string name, int submission, Action<CldReadError> errors) =>
        path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)
            ? ReadParquet(path, name, submission, errors)
            : ReadCsv(path, name, submission, errors);

    /// <summary>Where each layout column is in the file's header; null (and an error per missing column) when any is absent.</summary>
    private static int[]? MapColumns(IReadOnlyList<string> header, string name, Action<CldReadError> errors)
    {
        var positions = new int[CldColumns.Count];
        var missing = false;
        for (var c = 0; c < CldColumns.Count; c++)
        {
            positions[c] = -1;
            for (var h = 0; h < header.Count; h++)
                if (string.Equals(header[h].Trim(), CldColumns.Names[c], StringComparison.OrdinalIgnoreCase)) { positions[c] = h; break; }
            if (positions[c] >= 0) continue;
            missing = true;
            errors(new CldReadError(name, 1, CldColumns.Names[c], "missing column; a CLD file has the columns of the national layout", null));
        }
        return missing ? null : positions;
    }

    private static IEnumerable<CldRow> ReadCsv(string path, string name, int submission, Action<CldReadError> errors)
    {
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            PoolStrings = true,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = record => errors(new CldReadError(name, record.LineNumber, "",
                record.Reason == CsvMalformedReason.FieldCountMismatch ? "the line does not have as many fields as the header" : $"the line is not valid CSV ({record.Reason})", null)),
        };
        using var reader = CsvReader.FromFile(path, options);
        var positions = MapColumns(reader.Headers, name, errors);
        if (positions is null) yield break;
        var cells = new string?[CldColumns.Count];
        while (reader.Read())
        {
            for (var c = 0; c < cells.Length; c++) cells[c] = reader.GetString(positions[c]);
            if (CldRowParser.Parse(cells, name, reader.LineNumber, submission, errors) is { } row) yield return row;
        }
    }

    private static IEnumerable<CldRow> ReadParquet(string path, string name, int submission, Action<CldReadError> errors)
    {
        var reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        try
        {
            foreach (var row in ReadParquet(reader, name, submission, errors)) yield return row;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static IEnumerable<CldRow> ReadParquet(ParquetReader reader, string name, int submission, Action<CldReadError> errors)
    {
        var fields = reader.Schema.GetDataFields();
        var positions = MapColumns(fields.Select(f => f.Name).ToList(), name, errors);
        if (positions is null) yield break;
        long rowBase = 0;
        var cells = new string?[CldColumns.Count];
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            // One row group's columns at a time: a writer's row group bounds the memory.
            var columns = new string?[CldColumns.Count][];
            for (var c = 0; c < columns.Length; c++) columns[c] = ReadColumn(group, fields[positions[c]], count, name);
            for (var r = 0; r < count; r++)
            {
                for (var c = 0; c < cells.Length; c++) cells[c] = columns[c][r];
                if (CldRowParser.Parse(cells, name, rowBase + r + 2, submission, errors) is { } row) yield return row;
            }
            rowBase += count;
        }
    }

    /// <summary>A column as text in the CSV form (dates as yyyy-mm-dd, numbers invariant), so both formats go through one parser.</summary>
    private static string?[] ReadColumn(ParquetRowGroupReader group, DataField field, int count, string name)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var text = new string?[count];
            group.ReadAsync(field, text.AsMemory()!, null).GetAwaiter().GetResult();
            return text;
        }
        if (type == typeof(DateOnly)) return Typed<DateOnly>(group, field, count, d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (type == typeof(DateTime))
            return Typed<DateTime>(group, field, count, d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("o", CultureInfo.InvariantCulture));
        if (type == typeof(int)) return Typed<int>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(long)) return Typed<long>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(short)) return Typed<short>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(double)) return Typed<double>(group, field, count, v => v.ToString("R", CultureInfo.InvariantCulture));
        if (type == typeof(float)) return Typed<float>(group, field, count, v => v.ToString("R", CultureInfo.InvariantCulture));
        if (type == typeof(decimal)) return Typed<decimal>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        throw new InvalidDataException($"{name}: column {field.Name} holds {type.Name} values; a CLD column holds text, dates or numbers");
    }

    private static string?[] Typed<T>(ParquetRowGroupReader group, DataField field, int count, Func<T, string> format) where T : struct
    {
        var values = new T?[count];
        group.ReadAsync(field, values.AsMemory(), null).GetAwaiter().GetResult();
        var text = new string?[count];
        for (var i = 0; i < count; i++) text[i] = values[i] is { } v ? format(v) : null;
        return text;
    }
}
