using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace Forecasting.Tests.Operations;

/// <summary>
/// The pages' sign-in with the directory, the OpenID Connect code flow played through by hand: the browser's redirects
/// and cookies, and the directory's token endpoint answering the code with a token signed by the test issuer.
/// </summary>
[Trait("Category", "integration")]
public sealed class DirectoryWebSignInTests(DirectoryServerFactory factory) : IClassFixture<DirectoryServerFactory>
{
    private const string Code = "the-authorization-code";

    /// <summary>A browser without JavaScript: no automatic redirects, cookies kept by hand.</summary>
    private sealed class Browser(HttpClient http)
    {
        public Dictionary<string, string> Cookies { get; } = [];

        public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            if (Cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var cookie in set.Select(c => c.Split(';')[0].Split('=', 2)))
                    if (cookie[1].Length == 0) Cookies.Remove(cookie[0]);
                    else Cookies[cookie[0]] = cookie[1];
            return response;
        }

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
    }

    /// <summary>The directory's token endpoint: checks the code exchange and answers with an id token for the nonce it was sent.</summary>
    private sealed class TokenEndpoint(TestIssuer issuer, string[] roles, string[] groups) : HttpMessageHandler
    {
        public string? Nonce { get; set; }
        public Dictionary<string, string> Received { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(await request.Content!.ReadAsStringAsync(cancellationToken)))
                Received[key] = value.ToString();
            const string accessToken = "an-access-token";
            var hash = SHA256.HashData(Encoding.ASCII.GetBytes(accessToken));
            var idToken = issuer.Token("user-42", "pat.smith@harbridge.test", roles, groups, audience: TestIssuer.WebClientId,
                extra: new Dictionary<string, object> { ["nonce"] = Nonce!, ["at_hash"] = Base64UrlEncoder.Encode(hash[..16]) });
            var body = JsonSerializer.Serialize(new { id_token = idToken, access_token = accessToken, token_type = "Bearer", expires_in = 3600 });
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }

    /// <summary>From the sign-in link to the directory's answer posted back; returns the browser and the final response.</summary>
    private async Task<(Browser Browser, HttpResponseMessage Answer, TokenEndpoint Directory)> SignIn(string[] roles, string[] groups)
    {
        var directory = new TokenEndpoint(factory.Issuer, roles, groups);
        factory.TokenEndpoint = directory;
        var browser = new Browser(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));

        var challenge = await browser.GetAsync("/signin/directory?returnUrl=%2Fscenarios");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(factory.Issuer.Discovery.AuthorizationEndpoint, authorize.ToString());
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal(TestIssuer.WebClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.EndsWith("/signin-oidc", query["redirect_uri"].ToString());
        directory.Nonce = query["nonce"];

        // The directory signs the user in and posts the code back (form_post).
        var answer = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/signin-oidc")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = Code, ["state"] = query["state"]! }),
        });
        return (browser, answer, directory);
    }

    [Fact]
    public async Task The_code_flow_opens_a_session_with_the_role_and_councils_of_the_users_directory_grants()
    {
        var (browser, answer, directory) = await SignIn(["Forecasting.Commissioner"], ["harbridge-staff"]);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("url=/scenarios", await answer.Content.ReadAsStringAsync());
        Assert.Contains(Forecasting.Web.WebExtensions.SessionCookie, browser.Cookies.Keys);
        Assert.Equal(("authorization_code", Code, TestIssuer.WebClientId), (directory.Received["grant_type"], directory.Received["code"], directory.Received["client_id"]));
        Assert.True(directory.Received.ContainsKey("code_verifier"));

        var page = await browser.GetAsync("/scenarios");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("pat.smith@harbridge.test", await page.Content.ReadAsStringAsync());
        // A commissioner may not import data.
        var import = await browser.GetAsync("/data/import");
        Assert.NotEqual(HttpStatusCode.OK, import.StatusCode);
    }

    [Fact]
    public async Task A_user_without_a_granted_role_gets_no_session_and_is_told_why()
    {
        var (browser, answer, _) = await SignIn(["Some.Other.Role"], ["harbridge-staff"]);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/signin?directory=role", answer.Headers.Location!.ToString());
        Assert.DoesNotContain(Forecasting.Web.WebExtensions.SessionCookie, browser.Cookies.Keys);
        var page = await browser.GetAsync("/signin?directory=role");
        Assert.Contains("no role or council", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/scenarios")).StatusCode);
    }
}
