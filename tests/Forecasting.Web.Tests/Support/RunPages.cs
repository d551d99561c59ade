using System.Net;
using System.Text.RegularExpressions;

namespace Forecasting.Web.Tests.Support;

/// <summary>Follows a scenario run's status page as a browser would (it reloads every two seconds) until the run has finished.</summary>
public static partial class RunPages
{
    public static async Task<(string First, string Last)> Follow(HttpClient client, Uri status)
    {
        var first = await client.GetStringAsync(status);
        var page = first;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (page.Contains("data-finished=\"false\"", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not finish in three minutes");
            await Task.Delay(TimeSpan.FromSeconds(0.5));
            page = await client.GetStringAsync(status);
        }
        return (first, page);
    }

    public static string ResultLink(string page) =>
        WebUtility.HtmlDecode(ResultLinkPattern().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no result link on the page"));

    public static string ResultId(string page) => ResultIdPattern().Match(page).Groups[1].Value;

    [GeneratedRegex("<a id=\"result-link\" href=\"([^\"]+)\"")]
    private static partial Regex ResultLinkPattern();

    [GeneratedRegex("<span class=\"snapshot\" id=\"result-id\">([^<]+)</span>")]
    private static partial Regex ResultIdPattern();
}
