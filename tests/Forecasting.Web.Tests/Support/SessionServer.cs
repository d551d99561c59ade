using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Forecasting.Web.Tests.Support;

/// <summary>
/// The server in process on a given database (so a test can stop it and start it again on the same store and key
/// ring, with other settings), optionally on a clock the test moves.
/// </summary>
public sealed class SessionServer(string database, IDictionary<string, string?>? settings = null, TimeProvider? clock = null) : SampleServerFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var all = base.Settings();
        all["Store:Path"] = database;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return all;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (clock is not null) builder.ConfigureTestServices(services => services.AddSingleton(clock));
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public async Task<HttpClient> SignedInAs(string key)
    {
        var client = Browser();
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await WebFactory.SignIn(client, key)).StatusCode);
        return client;
    }
}

public static class CookieReplay
{
    /// <summary>A client that sends exactly the cookie it is given, as an attacker replaying a copied cookie would.</summary>
    public static HttpClient WithCookie(this SampleServerFactory server, string cookie)
    {
        var client = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}
