using System.Net;
using Forecasting.Application.Limits;
using Forecasting.Contracts.V1;
using Forecasting.Web.Tests.Support;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Web.Tests;

/// <summary>The server with a low rate and one heavy place per key, so the pages meet the API's limits in a test.</summary>
public sealed class TightWebFactory : SampleServerFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Limits:RequestsPerSecondPerKey"] = "1";
        settings["Limits:BurstPerKey"] = "8";
        settings["Limits:HeavyCallsPerKey"] = "1";
        settings["Limits:HeavyCallsQueuedPerKey"] = "0";
        return settings;
    }
}

public static class SignInExtensions
{
    /// <summary>A browser-like client of any test server, signed in with <paramref name="key"/> through the form.</summary>
    public static async Task<HttpClient> SignedInWith(this SampleServerFactory factory, string key)
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await WebFactory.SignIn(client, key)).StatusCode);
        return client;
    }
}

/// <summary>The server with a sign-in lockout after three wrong keys from one address.</summary>
public sealed class LockoutWebFactory : SampleServerFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Limits:FailedAuthPerAddress"] = "3";
        settings["Limits:FailedAuthLockoutSeconds"] = "600";
        settings["Limits:FailedAuthDelayMilliseconds"] = "100";
        return settings;
    }
}

/// <summary>A page asks nothing the API would refuse: the same text lengths, the same per-key rate and heavy-call places.</summary>
[Trait("Category", "integration")]
public sealed class WebLengthTests(WebFactory factory) : IClassFixture<WebFactory>
{
    private async Task<int> ScenarioCount()
    {
        using var channel = factory.Channel();
        return (await new PlanningService.PlanningServiceClient(channel).ListScenariosAsync(
            new ListScenariosRequest { CouncilCode = WebFactory.Council }, WebFactory.Key(WebFactory.Analyst))).Scenarios.Count;
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    [Fact]
    public async Task A_name_or_description_longer_than_the_API_allows_is_refused_and_nothing_is_stored()
    {
        var client = await factory.SignedIn(WebFactory.StrategyLead);
        var token = WebFactory.Token(await client.GetStringAsync("/scenarios/edit"));
        var before = await ScenarioCount();

        var longName = await client.PostAsync("/scenarios/edit", Form(token, ("Form.Name", new string('n', 100_000))));
        Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.Contains("Form.Name: at most 200 characters (got 100000)", WebUtility.HtmlDecode(await longName.Content.ReadAsStringAsync()));

        var longDescription = await client.PostAsync("/scenarios/edit",
            Form(token, ("Form.Name", "fits"), ("Form.Description", new string('d', 1_000_000))));
        Assert.Equal(HttpStatusCode.BadRequest, longDescription.StatusCode);
        Assert.Contains("Form.Description: at most 4000 characters (got 1000000)", WebUtility.HtmlDecode(await longDescription.Content.ReadAsStringAsync()));

        // One character over the API's limit is refused too; at the limit the form goes through.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/scenarios/edit", Form(token, ("Form.Name", new string('n', 201))))).StatusCode);
        Assert.Equal(before, await ScenarioCount());
        var fits = await client.PostAsync("/scenarios/edit", Form(token, ("Form.Name", new string('n', 200)), ("Form.Description", new string('d', 4000))));
        Assert.Equal(HttpStatusCode.Redirect, fits.StatusCode);
        Assert.Equal(before + 1, await ScenarioCount());
    }
}

[Trait("Category", "integration")]
public sealed class WebRateAndHeavyTests(TightWebFactory factory) : IClassFixture<TightWebFactory>
{
    [Fact]
    public async Task A_session_past_its_keys_rate_is_refused_and_shares_the_budget_with_the_API()
    {
        var client = await factory.SignedInWith(WebFactory.Commissioner);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++) codes.Add((await client.GetAsync("/scenarios")).StatusCode);
        // A burst of 8 and one more a second: 20 quick pages must meet the limit.
        Assert.InRange(codes.Count(c => c == HttpStatusCode.TooManyRequests), 5, 12);
        Assert.All(codes, c => Assert.Contains(c, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));

        // The key's API calls draw on the same budget: spent by the pages, the next API call is refused as well.
        using var channel = factory.Channel();
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            new AnalyticsService.AnalyticsServiceClient(channel).ListMetricsAsync(new ListMetricsRequest(), WebFactory.Key(WebFactory.Commissioner)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
    }

    [Fact]
    public async Task A_heavy_page_waits_for_none_while_the_keys_one_heavy_place_is_taken()
    {
        var client = await factory.SignedInWith(WebFactory.StrategyLead);
        var admission = factory.Services.GetRequiredService<KeyAdmission>();
        // The key's one heavy place is held (as by one of its API forecasts, or a scorecard on another tab).
        using (await admission.AcquireHeavyAsync("development strategy lead", CancellationToken.None))
        {
            var busy = await client.GetAsync("/performance");
            Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
            Assert.Contains("concurrency limit: at most 1", WebUtility.HtmlDecode(await busy.Content.ReadAsStringAsync()));
            // A light page is not held back.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scenarios")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/performance")).StatusCode);
    }
}

[Trait("Category", "integration")]
public sealed class WebSignInLockoutTests(LockoutWebFactory factory) : IClassFixture<LockoutWebFactory>
{
    [Fact]
    public async Task Repeated_wrong_keys_lock_sign_in_out_even_for_the_right_key_and_are_counted_in_the_audit()
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) codes.Add((await WebFactory.SignIn(client, $"wrong-key-{i}")).StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), codes);

        // Locked out: the right key is refused too, without a session.
        var locked = await WebFactory.SignIn(client, WebFactory.Analyst);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.False(locked.Headers.Contains("Set-Cookie") && locked.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(Forecasting.Web.WebExtensions.SessionCookie)));
        Assert.Contains("Too many attempts with a wrong key", WebUtility.HtmlDecode(await locked.Content.ReadAsStringAsync()));

        // The API from the same address is locked out as well; the trail holds the four failures as counts.
        using var channel = factory.Channel();
        var api = await Assert.ThrowsAsync<RpcException>(() =>
            new AuditService.AuditServiceClient(channel).ListAuditEventsAsync(new ListAuditEventsRequest(), WebFactory.Key(WebFactory.Analyst)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, api.StatusCode);
        var trail = factory.Services.GetRequiredService<Forecasting.Store.Audit.IAuditTrail>();
        factory.Services.GetRequiredService<Forecasting.Application.Audit.RefusalTally>().Flush();
        var events = trail.List(null, Forecasting.Application.Limits.AuthenticationThrottle.UnknownKey, "web sign-in", 100, null, "-");
        Assert.Equal(4, events.Where(e => e.Outcome == "Unauthenticated").Sum(e => e.Calls));
        Assert.Equal(1, events.Where(e => e.Outcome == "ResourceExhausted").Sum(e => e.Calls));
    }
}
