using Forecasting.Server.Security;

namespace Forecasting.Tests.Operations;

/// <summary>Each rule of <c>Auth:Directory</c>, with one setting that breaks it: the fault names the key and the reason.</summary>
[Trait("Category", "unit")]
public sealed class DirectoryOptionsValidatorTests
{
    private static DirectoryOptions Valid() => new()
    {
        Authority = TestIssuer.Issuer,
        Audiences = [TestIssuer.ApiAudience],
        ClientId = TestIssuer.WebClientId,
        ClientSecret = "secret",
        Grants =
        [
            new DirectoryGrant { Claim = "roles", Value = "Forecasting.Analyst", Role = "analyst" },
            new DirectoryGrant { Claim = "groups", Value = "harbridge-staff", Councils = ["E06009999"] },
        ],
    };

    private static IReadOnlyList<string> Faults(DirectoryOptions options) => DirectoryOptionsValidator.Faults(options).ToList();

    [Fact]
    public void Valid_settings_and_no_settings_at_all_pass()
    {
        Assert.Empty(Faults(Valid()));
        Assert.Empty(Faults(new DirectoryOptions()));
        // A local test issuer over plain http on this machine is accepted; the same elsewhere is not.
        var local = Valid();
        local.Authority = "http://127.0.0.1:8400/issuer";
        Assert.Empty(Faults(local));
    }

    [Theory]
    [InlineData("authority missing", "Auth:Directory:Authority: missing, while Audiences, ClientId, ClientSecret, Grants are set")]
    [InlineData("authority not a url", "Auth:Directory:Authority: 'login.microsoftonline.com/tenant/v2.0' is not an https:// URL")]
    [InlineData("authority plain http", "Auth:Directory:Authority: 'http://login.test/harbridge/v2.0' is plain http")]
    [InlineData("no audience", "Auth:Directory:Audiences: missing")]
    [InlineData("empty audience", "Auth:Directory:Audiences:1: empty")]
    [InlineData("empty name claim", "Auth:Directory:NameClaim: empty")]
    [InlineData("client id without secret", "Auth:Directory:ClientSecret: missing")]
    [InlineData("secret without client id", "Auth:Directory:ClientId: missing, while ClientSecret is set")]
    [InlineData("no grants", "Auth:Directory:Grants: missing")]
    [InlineData("grant without claim", "Auth:Directory:Grants:1:Claim: empty")]
    [InlineData("grant without value", "Auth:Directory:Grants:1:Value: missing")]
    [InlineData("unknown role", "Auth:Directory:Grants:0:Role: unknown role 'Analyst'; roles are commissioner, strategy_lead or analyst")]
    [InlineData("grant of nothing", "Auth:Directory:Grants:2: gives neither a Role nor Councils")]
    [InlineData("empty council", "Auth:Directory:Grants:1:Councils:1: empty")]
    [InlineData("not a council code", "Auth:Directory:Grants:1:Councils:1: 'Harbridge' is not a council code")]
    [InlineData("no role granted", "Auth:Directory:Grants: no grant gives a Role")]
    [InlineData("no council granted", "Auth:Directory:Grants: no grant gives Councils")]
    public void A_broken_rule_gives_one_fault_naming_the_setting(string rule, string expected)
    {
        var options = Valid();
        var reader = options.Grants[0];
        var councils = options.Grants[1];
        switch (rule)
        {
            case "authority missing": options.Authority = null; break;
            case "authority not a url": options.Authority = "login.microsoftonline.com/tenant/v2.0"; break;
            case "authority plain http": options.Authority = "http://login.test/harbridge/v2.0"; break;
            case "no audience": options.Audiences.Clear(); break;
            case "empty audience": options.Audiences.Add(" "); break;
            case "empty name claim": options.NameClaim = ""; break;
            case "client id without secret": options.ClientSecret = null; break;
            case "secret without client id": options.ClientId = null; break;
            case "no grants": options.Grants.Clear(); break;
            case "grant without claim": councils.Claim = ""; break;
            case "grant without value": councils.Value = ""; break;
            case "unknown role": reader.Role = "Analyst"; councils.Role = "commissioner"; break;
            case "grant of nothing": options.Grants.Add(new DirectoryGrant { Value = "Forecasting.Reader" }); break;
            case "empty council": councils.Councils.Add(""); break;
            case "not a council code": councils.Councils.Add("Harbridge"); break;
            case "no role granted": reader.Role = ""; reader.Councils.Add("*"); break;
            case "no council granted": councils.Councils.Clear(); councils.Role = "commissioner"; break;
            default: throw new ArgumentException(rule);
        }

        var fault = Assert.Single(Faults(options));
        Assert.StartsWith(expected, fault);
    }

    [Fact]
    public void Every_fault_is_reported_at_once()
    {
        var options = Valid();
        options.Audiences.Clear();
        options.Grants[0].Role = "superuser";
        var faults = Faults(options);
        Assert.Equal(3, faults.Count);
        Assert.StartsWith("Auth:Directory:Audiences: missing", faults[0]);
        Assert.StartsWith("Auth:Directory:Grants:0:Role: unknown role 'superuser'", faults[1]);
        Assert.StartsWith("Auth:Directory:Grants: no grant gives a Role", faults[2]);
    }
}

/// <summary>The server process started with a wrong directory setting.</summary>
[Trait("Category", "integration")]
public sealed class DirectorySettingsStartupTests
{
    [Fact]
    public async Task A_wrong_directory_setting_stops_start_up_with_one_message_naming_it()
    {
        var directory = RepoPaths.TempDirectory();
        var info = ServerProcess.StartInfo(directory, "--urls", "http://127.0.0.1:0",
            $"--Store:Path={Path.Combine(directory, "d.duckdb")}", "--Store:SeedDirectory=",
            $"--Auth:Directory:Authority={TestIssuer.Issuer}", $"--Auth:Directory:Audiences:0={TestIssuer.ApiAudience}",
            "--Auth:Directory:Grants:0:Value=Forecasting.Analyst", "--Auth:Directory:Grants:0:Role=superuser",
            "--Auth:Directory:Grants:0:Councils:0=E06009999");
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var err = await stderr;
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("The server cannot start with these settings:", err);
        Assert.Contains("Auth:Directory:Grants:0:Role: unknown role 'superuser'", err);
        Assert.Contains("Auth:Directory:Grants: no grant gives a Role", err);
        Assert.DoesNotContain("   at ", err + await stdout);
    }
}
