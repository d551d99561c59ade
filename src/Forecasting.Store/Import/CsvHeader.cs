using System.Text;

namespace Forecasting.Store.Import;

/// <summary>
/// Reads the header row of a CSV file without DuckDB's sniffer, so a broken header is reported in
/// plain words (and a bad first data row is left to the reader, which names its line).
/// </summary>
internal static class CsvHeader
{
    /// <summary>A header longer than this is not a header of any store table.</summary>
    public const int MaxHeaderBytes = 64 * 1024;

    /// <exception cref="InvalidDataException">with a reason fit to show the caller.</exception>
    public static List<string> Read(string path)
    {
        var buffer = new byte[MaxHeaderBytes + 1];
        int length;
        using (var stream = File.OpenRead(path))
        {
            length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0) length += read;
        }
        var start = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
        if (length - start == 0) throw new InvalidDataException("the file is empty: a header row is required");

        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var i = start;
        var end = -1;
        for (; i < length; i++)
        {
            var b = buffer[i];
            if (inQuotes)
            {
                if (b == '"')
                {
                    if (i + 1 < length && buffer[i + 1] == '"') { field.Append('"'); i++; }
                    else inQuotes = false;
                }
                else field.Append((char)b);
            }
            else if (b == '"') inQuotes = true;
            else if (b == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (b is (byte)'\n' or (byte)'\r') { end = i; break; }
            else field.Append((char)b);
        }
        if (end < 0 && length > MaxHeaderBytes)
            throw new InvalidDataException(inQuotes
                ? "line 1: a quote in the header is never closed"
                : $"line 1: the header is longer than {MaxHeaderBytes / 1024} KB");
        if (inQuotes) throw new InvalidDataException("line 1: a quote in the header is never closed");
        fields.Add(field.ToString());

        // The bytes were collected one by one; decode them strictly so a non-UTF-8 header is named as such.
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var names = new List<string>(fields.Count);
        foreach (var f in fields)
        {
            var bytes = f.Select(c => (byte)c).ToArray();
            try { names.Add(strict.GetString(bytes).Trim()); }
            catch (DecoderFallbackException) { throw new InvalidDataException("line 1: the header is not valid UTF-8 text"); }
        }
        return names;
    }
}
