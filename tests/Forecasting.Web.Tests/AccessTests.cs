using System.Net;
using Forecasting.Web.Tests.Support;

namespace Forecasting.Web.Tests;

/// <summary>Sign-in, roles, the session cookie and anti-forgery, through the pages in process.</summary>
[Trait("Category", "integration")]
public sealed class AccessTests(WebFactory factory) : IClassFixture<WebFactory>
{
    public static TheoryData<string> ReadPages => new() { "/", "/shortfall", "/report", "/forecasts", "/scenarios", "/download/units/csv", "/download/shortfall/xlsx" };

    [Theory]
    [MemberData(nameof(ReadPages))]
    public async Task A_visitor_who_has_not_signed_in_is_sent_to_the_sign_in_page(string path)
    {
        var response = await factory.Browser().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery.Replace("http://localhost", ""));
    }

    [Theory]
    [MemberData(nameof(ReadPages))]
    public async Task Every_reading_page_opens_for_a_commissioner(string path)
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_without_a_session()
    {
        var client = factory.Browser();
        var response = await WebFactory.SignIn(client, "not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith(WebExtensions.SessionCookie)));
        Assert.Contains("not recognised", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_and_SameSite_Strict_and_holds_no_key()
    {
        var client = factory.Browser();
        var response = await WebFactory.SignIn(client, WebFactory.Commissioner);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), v => v.StartsWith(WebExtensions.SessionCookie + "="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WebFactory.Commissioner, cookie);
        var page = await (await client.GetAsync("/")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(WebFactory.Commissioner, page);
    }

    [Fact]
    public async Task A_form_posted_without_the_anti_forgery_token_is_rejected()
    {
        var anonymous = factory.Browser();
        await anonymous.GetAsync("/signin");
        var signIn = await anonymous.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["Key"] = WebFactory.Commissioner }));
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);

        var client = await factory.SignedIn(WebFactory.Commissioner);
        var signOut = await client.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var page = await client.GetStringAsync("/");
        var response = await client.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebFactory.Token(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_key_for_another_council_sees_nothing_of_this_one()
    {
        var client = await factory.SignedIn(WebFactory.OthertonCommissioner);
        var own = await client.GetStringAsync("/");
        Assert.Contains("There is nothing to show yet", own);
        Assert.DoesNotContain("Harbridge", own);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/?council={WebFactory.Council}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/download/units/csv?council={WebFactory.Council}")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_council_or_result_is_not_found_without_internal_detail()
    {
        var client = await factory.SignedIn(WebFactory.Commissioner);
        var council = await client.GetAsync("/?council=E06000404");
        Assert.Equal(HttpStatusCode.NotFound, council.StatusCode);
        var body = await council.Content.ReadAsStringAsync();
        Assert.Contains("Page not found", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("/work/", body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/shortfall?result=res-none")).StatusCode);
    }

    [Fact]
    public async Task The_error_page_gives_a_reference_and_nothing_internal()
    {
        var response = await factory.Browser().GetAsync("/error");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Matches("id=\"correlation-id\">[0-9a-f]{32}<", body);
        Assert.DoesNotContain("Exception", body);
    }
}
