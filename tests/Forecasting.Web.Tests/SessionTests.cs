using System.Net;
using Forecasting.Server.Security;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>
/// Sessions are bound to live keys and ended on the server: a copied session cookie is tried where it should not work,
/// as an attacker would use it.
/// </summary>
[Trait("Category", "integration")]
public sealed class SessionTests(WebFactory factory) : IClassFixture<WebFactory>
{
    /// <summary>Signs in through the form and returns the session cookie as a browser would send it back.</summary>
    private static async Task<string> SessionCookie(HttpClient browser, string key)
    {
        var response = await WebFactory.SignIn(browser, key);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), v => v.StartsWith(WebExtensions.SessionCookie + "=", StringComparison.Ordinal));
        return setCookie[..setCookie.IndexOf(';')];
    }

    private static async Task SignOut(HttpClient browser)
    {
        var page = await browser.GetStringAsync("/");
        var response = await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebFactory.Token(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static async Task<bool> Accepted(HttpClient client, string path = "/")
    {
        var response = await client.GetAsync(path);
        if (response.StatusCode == HttpStatusCode.OK) return true;
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
        return false;
    }

    private static string NewDatabase() => SampleDatabase.CopyTo(Path.Combine(RepoPaths.TempDirectory(), "server.duckdb"));

    [Fact]
    public async Task A_cookie_from_a_server_with_another_database_and_key_ring_is_refused()
    {
        var cookie = await SessionCookie(factory.Browser(), WebFactory.Analyst);
        Assert.True(await Accepted(factory.WithCookie(cookie), "/data/refresh"));

        // Same keys configured, same OS user: only the database (and so the key ring beside it) differs.
        await using var other = new WebFactory();
        var replayed = other.WithCookie(cookie);
        Assert.False(await Accepted(replayed, "/data/refresh"));
        Assert.False(await Accepted(replayed));
    }

    [Fact]
    public async Task A_cookie_replayed_after_sign_out_is_refused()
    {
        var browser = factory.Browser();
        var cookie = await SessionCookie(browser, WebFactory.Commissioner);
        Assert.True(await Accepted(factory.WithCookie(cookie)));
        await SignOut(browser);
        Assert.False(await Accepted(factory.WithCookie(cookie)));
        Assert.False(await Accepted(factory.WithCookie(cookie), "/download/units/csv"));
    }

    [Fact]
    public async Task After_a_restart_a_live_session_goes_on_a_signed_out_one_stays_out_and_one_whose_key_changed_is_refused()
    {
        var database = NewDatabase();
        string commissioner, strategy, analyst, signedOut;
        await using (var first = new SessionServer(database))
        {
            commissioner = await SessionCookie(first.Browser(), SampleServerFactory.CommissionerKey);
            strategy = await SessionCookie(first.Browser(), SampleServerFactory.StrategyKey);
            analyst = await SessionCookie(first.Browser(), SampleServerFactory.AnalystKey);
            var browser = first.Browser();
            signedOut = await SessionCookie(browser, SampleServerFactory.CommissionerKey);
            await SignOut(browser);
        }
        await using (var again = new SessionServer(database))
        {
            Assert.True(await Accepted(again.WithCookie(commissioner)));
            Assert.True(await Accepted(again.WithCookie(analyst), "/data/refresh"));
            Assert.False(await Accepted(again.WithCookie(signedOut)));
        }
        // appsettings.json: 0 analyst, 1 strategy lead, 2 commissioner. The commissioner's key is replaced by another,
        // the strategy lead becomes a commissioner, the analyst's key is limited to one council.
        await using (var changed = new SessionServer(database, new Dictionary<string, string?>
        {
            ["Auth:Keys:2:Sha256"] = ApiKeyHasher.Hash("a-new-commissioner-key"),
            ["Auth:Keys:1:Role"] = "commissioner",
            ["Auth:Keys:0:Councils:0"] = SampleServerFactory.Council,
        }))
        {
            Assert.False(await Accepted(changed.WithCookie(commissioner)));
            Assert.False(await Accepted(changed.WithCookie(strategy)));
            Assert.False(await Accepted(changed.WithCookie(analyst), "/data/refresh"));
            // The keys as now configured still sign in.
            Assert.True(await Accepted(await changed.SignedInAs(SampleServerFactory.StrategyKey)));
        }
        try { Directory.Delete(Path.GetDirectoryName(database)!, recursive: true); }
        catch (IOException) { }
    }

    [Fact]
    public async Task A_session_used_all_day_ends_at_the_absolute_cap_although_the_sliding_expiry_would_keep_it()
    {
        var clock = new ManualClock();
        var database = NewDatabase();
        await using (var server = new SessionServer(database, clock: clock))
        {
            var browser = server.Browser();
            var cookie = await SessionCookie(browser, SampleServerFactory.CommissionerKey);
            // Used every five hours: each use renews the 8-hour sliding cookie.
            clock.Now += TimeSpan.FromHours(5);
            Assert.True(await Accepted(browser));
            clock.Now += TimeSpan.FromHours(5);
            Assert.True(await Accepted(browser));
            // 13 hours after sign-in, 3 hours after the last use: past the 12-hour cap.
            clock.Now += TimeSpan.FromHours(3);
            Assert.False(await Accepted(browser));
            Assert.False(await Accepted(server.WithCookie(cookie)));
        }
        try { Directory.Delete(Path.GetDirectoryName(database)!, recursive: true); }
        catch (IOException) { }
    }
}
