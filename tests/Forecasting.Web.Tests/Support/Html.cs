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

    /// <summary>
    /// That a page cell reads <paramref name="number"/> as the pages round it: to the decimals shown ("1,234", "28.6%",
    /// "403"), money to the nearest thousand pounds ("£1,235,000"), a chance under half a percent as "under 1" and from
    /// 99.5% as "over 99".
    /// </summary>
    public static void AssertShows(string shown, double number, string what)
    {
        switch (shown.TrimEnd('%'))
        {
            case "under 1":
                Assert.True(number < 0.5, $"{what}: '{shown}' for {number}");
                return;
            case "over 99":
                Assert.True(number >= 99.5, $"{what}: '{shown}' for {number}");
                return;
        }
        var text = shown.TrimEnd('%');
        var money = text.Contains('£');
        var value = double.Parse(text.Replace("£", ""), NumberStyles.Number | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (money)
        {
            Assert.Equal(Math.Sign(number) * Math.Round(Math.Abs(number) / 1000, MidpointRounding.AwayFromZero) * 1000, value == 0 ? 0 : value);
            return;
        }
        var decimals = text.Contains('.') ? text.Length - text.IndexOf('.') - 1 : 0;
        Assert.True(Math.Abs(Math.Round(number, decimals, MidpointRounding.AwayFromZero) - value) < 1e-9, $"{what}: '{shown}' for {number}");
    }

    [GeneratedRegex("<tr[^>]*>([\\s\\S]*?)</tr>")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<t[hd][^>]*>([\\s\\S]*?)</t[hd]>")]
    private static partial Regex CellPattern();
}
