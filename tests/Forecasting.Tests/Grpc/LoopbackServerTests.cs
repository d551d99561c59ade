using Forecasting.Contracts.V1;
using Forecasting.Store;
using Forecasting.Store.Import;
using Forecasting.Tests.Support;
using Grpc.Core;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

[Trait("Category", "integration")]
public sealed class LoopbackServerTests
{
    [Fact]
    public async Task A_real_server_on_a_loopback_port_serves_analytics_and_enforces_keys()
    {
        using var server = await ServerProcess.StartAsync(Path.Combine(RepoPaths.TempDirectory(), "loop.duckdb"));
        using var channel = server.Channel();
        var analytics = new AnalyticsService.AnalyticsServiceClient(channel);
        var request = new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "admissions", Period = Period.FinancialYear, FromDate = "2023-04-01", ToDate = "2024-03-31" },
        };

        var denied = await Assert.ThrowsAsync<RpcException>(() => analytics.GetFlowSeriesAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);

        var response = await analytics.GetFlowSeriesAsync(request, Key(CommissionerKey));
        var csv = Csv.Sample("admissions");
        var expected = csv.Rows.Count(r => Csv.Date(csv.Get(r, "admission_date")) is var d && d >= new DateOnly(2023, 4, 1) && d <= new DateOnly(2024, 3, 31));
        Assert.Equal(expected, Assert.Single(Assert.Single(response.Groups).Points).Value);
    }

    /// <summary>
    /// The process is killed while it imports a changed extract. Whenever the kill lands (the delays
    /// fall in validation, in the swap and after it on this machine), the reopened store holds either
    /// the old data or the new, never a mixture.
    /// </summary>
    [Theory]
    [InlineData(1500)]
    [InlineData(3000)]
    [InlineData(4500)]
    public async Task A_process_killed_during_an_import_leaves_the_previous_data_intact(int killAfterMs)
    {
        var directory = RepoPaths.TempDirectory();
        var database = Path.Combine(directory, "killed.duckdb");
        var changed = Path.Combine(directory, "changed");
        Directory.CreateDirectory(changed);
        foreach (var file in Directory.GetFiles(RepoPaths.Samples, "*.csv"))
            File.Copy(file, Path.Combine(changed, Path.GetFileName(file)));
        // The changed extract drops every contact after 2020: a visible difference in row count.
        var contacts = File.ReadAllLines(Path.Combine(RepoPaths.Samples, "contacts.csv"));
        File.WriteAllLines(Path.Combine(changed, "contacts.csv"), contacts.Where((l, i) => i == 0 || string.CompareOrdinal(l.Split(',')[2], "2021") < 0));
        var oldContacts = contacts.Length - 1L;
        var newContacts = File.ReadAllLines(Path.Combine(changed, "contacts.csv")).Length - 1L;

        string oldSnapshot;
        var completed = false;
        using (var server = await ServerProcess.StartAsync(database))
        {
            using var channel = server.Channel();
            var data = new DataService.DataServiceClient(channel);
            oldSnapshot = (await data.GetStatusAsync(new StatusRequest(), Key(AnalystKey))).SnapshotId;
            var import = data.ImportAsync(new ImportRequest { Directory = changed }, Key(AnalystKey));
            await Task.Delay(killAfterMs);
            server.Kill();
            try
            {
                // The import may finish before the kill: then it must have succeeded and its data must be there.
                completed = (await import.ResponseAsync).Succeeded;
                Assert.True(completed);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled)
            {
            }
        }

        var store = new ForecastingStore(new StoreOptions { Path = database });
        using var connection = store.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM contacts";
        var count = Convert.ToInt64(cmd.ExecuteScalar());
        var snapshot = store.CurrentSnapshot()!.SnapshotId;
        Assert.True(count == oldContacts || count == newContacts, $"contacts = {count}: neither the old {oldContacts} nor the new {newContacts}");
        Assert.Equal(count == oldContacts, snapshot == oldSnapshot);
        if (completed) Assert.Equal(newContacts, count);
        Assert.Equal(snapshot, DataImporter.ComputeSnapshotId(connection));
    }
}
