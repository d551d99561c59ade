using System.Text;

namespace Forecasting.Store.Import.Published;

/// <summary>One record of a published CSV: the line it starts on (header = 1) and its fields.</summary>
public sealed record CsvRecord(long Line, IReadOnlyList<string> Fields)
{
    public string this[int index] => index < Fields.Count ? Fields[index] : "";
}

/// <summary>
/// Reads the CSV files ONS, NHS England and DHSC publish (RFC 4180: commas, double quotes, CR LF or LF, an optional
/// byte-order mark). Published files are small (a national projection is tens of MB), so records are streamed without
/// the importer's staging; their values are checked by the layout readers.
/// </summary>
public static class PublishedCsv
{
    /// <summary>The header (trimmed names) and the records after it; a record of one empty field (a blank line) is skipped.</summary>
    /// <exception cref="InvalidDataException">when a quote is never closed or the file is empty; the message names the line.</exception>
    public static (IReadOnlyList<string> Header, IEnumerable<CsvRecord> Records) Read(TextReader reader)
    {
        var records = Records(reader).GetEnumerator();
        if (!records.MoveNext()) throw new InvalidDataException("the file is empty: a header row is required");
        var header = records.Current.Fields.Select(f => f.Trim()).ToList();
        return (header, Rest(records));
    }

    private static IEnumerable<CsvRecord> Rest(IEnumerator<CsvRecord> records)
    {
        using (records)
            while (records.MoveNext())
                if (records.Current.Fields is not [""]) yield return records.Current;
    }

    private static IEnumerable<CsvRecord> Records(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        long line = 1, start = 1;
        var inQuotes = false;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (!any && c == '\uFEFF' && line == 1 && fields.Count == 0 && field.Length == 0) continue;
            any = true;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append((char)c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inQuotes = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return new CsvRecord(start, fields);
                    fields = [];
                    line++;
                    start = line;
                    any = false;
                    break;
                default:
                    field.Append((char)c);
                    break;
            }
        }
        if (inQuotes) throw new InvalidDataException($"line {start}: a quoted field is never closed");
        if (any)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(start, fields);
        }
    }
}
