using Forecasting.Cli;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client.Tests;

/// <summary>The client and the command line against a real server process over HTTP/2 on loopback.</summary>
[Collection("server process")]
[Trait("Category", "integration")]
public sealed class WireTests(ProcessServerFixture server)
{
    [Fact]
    public async Task The_client_and_the_command_line_reach_a_server_process()
    {
        var contacts = SampleRows.Of("contacts.csv");
        var expected = SampleCsv.CountInFinancialYear(contacts, "contact_date", 2023);

        using var client = new ForecastingClient(ServerFixture.Options(server.Address, ServerFixture.AnalystKey) with { UploadChunkSize = 16 * 1024 });
        var series = await client.GetFlowSeriesAsync(new V1.FlowSeriesRequest
        {
            Selector = Proto.Selector("contacts", ServerFixture.Council, V1.Period.FinancialYear),
        });
        Assert.Equal(expected, series.Groups.Single().Points.Single(p => p.PeriodLabel == "2023/24").Value);

        // The file is streamed in many chunks over the connection.
        var report = await client.UploadAsync([new LocalFile(Path.Combine(RepoPaths.Samples, "contacts.csv"))], dryRun: true);
        Assert.True(report.Succeeded, string.Join("\n", report.Issues.Select(i => i.Reason)));
        Assert.Equal(contacts.Count, report.Tables.Single(t => t.Table == "contacts").RowsInFile);

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(
            ["series", "contacts", "--period", "year", "--council", ServerFixture.Council, "--format", "csv", "--server", server.Address, "--key", ServerFixture.CommissionerKey],
            stdout, stderr, _ => null);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"2023/24,2023-04-01,{expected},{expected}", stdout.ToString());
    }
}
