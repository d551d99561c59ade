using System.Net;
using System.Text.RegularExpressions;
using Forecasting.Server.Security;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Forecasting.Web.Tests.Support;

/// <summary>The real server in process (pages and gRPC API), on its own temporary copy of the sample template database.</summary>
public sealed partial class WebFactory : SampleServerFactory
{
    public const string Commissioner = "dev-commissioner-key";
    public const string StrategyLead = "dev-strategy-key";
    public const string Analyst = "dev-analyst-key";
    /// <summary>A key limited to a council the sample does not hold.</summary>
    public const string OthertonCommissioner = "otherton-commissioner-key";

    /// <summary>
    /// How long a page waits for its scorecard before it shows that it is being prepared (<c>Web:ScorecardWaitSeconds</c>):
    /// long by default, so that a test reads the complete page on a loaded machine; the tests of the preparing page set 0.
    /// </summary>
    public string ScorecardWaitSeconds { get; init; } = "600";

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Web:ScorecardWaitSeconds"] = ScorecardWaitSeconds;
        settings["Auth:Keys:3:Name"] = "otherton commissioner";
        settings["Auth:Keys:3:Role"] = "commissioner";
        settings["Auth:Keys:3:Sha256"] = ApiKeyHasher.Hash(OthertonCommissioner);
        settings["Auth:Keys:3:Councils:0"] = "E06000001";
        return settings;
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests look at them).</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client signed in with <paramref name="key"/> through the sign-in form.</summary>
    public async Task<HttpClient> SignedIn(string key)
    {
        var client = Browser();
        var response = await SignIn(client, key);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static async Task<HttpResponseMessage> SignIn(HttpClient client, string key)
    {
        var form = await client.GetStringAsync("/signin");
        return await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Key"] = key,
            ["__RequestVerificationToken"] = Token(form),
        }));
    }

    /// <summary>The anti-forgery token of the first form of a page.</summary>
    public static string Token(string html) =>
        TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no anti-forgery token on the page");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
