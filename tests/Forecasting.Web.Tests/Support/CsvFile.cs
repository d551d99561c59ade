using System.Text;

namespace Forecasting.Web.Tests.Support;

/// <summary>An RFC 4180 reader (quoted fields, doubled quotes, CRLF) for the downloads, independent of the writer.</summary>
public sealed record CsvFile(string[] Header, List<string[]> Rows)
{
    public static CsvFile Parse(string text)
    {
        text = text.TrimStart('\uFEFF');
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); records.Add([.. fields]); }
        return new CsvFile(records[0], records.Skip(1).ToList());
    }
}
