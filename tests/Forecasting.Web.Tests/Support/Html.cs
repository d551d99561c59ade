using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Forecasting.Web.Tests.Support;

/// <summary>Reads figures out of a page: the data-value of an element by id, and the cells of a table by its data-table name.</summary>
public static partial class Html
{
    public static double Value(string html, string id)
    {
        var m = Regex.Match(html, $"id=\"{Regex.Escape(id)}\"[^>]*data-value=\"([^\"]+)\"");
        if (!m.Success) m = Regex.Match(html, $"id=\"{Regex.Escape(id)}\"[\\s\\S]*?data-value=\"([^\"]+)\"");
        Assert.True(m.Success, $"no data-value for #{id}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The body rows of a table as displayed (header cell first), text decoded.</summary>
    public static List<string[]> Table(string html, string name)
    {
        var m = Regex.Match(html, $"<table id=\"table-{Regex.Escape(name)}\"[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>");
        Assert.True(m.Success, $"no table {name} on the page");
        return RowPattern().Matches(m.Groups[1].Value)
            .Select(r => CellPattern().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value).Trim()).ToArray())
            .ToList();
    }

    /// <summary>A displayed number ("1,234", "-5", "–" for none).</summary>
    public static double? Number(string text) =>
        text == "–" ? null : double.Parse(text, NumberStyles.Number | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    [GeneratedRegex("<tr[^>]*>([\\s\\S]*?)</tr>")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<t[hd][^>]*>([\\s\\S]*?)</t[hd]>")]
    private static partial Regex CellPattern();
}
