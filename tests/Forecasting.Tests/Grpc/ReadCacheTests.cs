using Forecasting.Contracts.V1;
using Forecasting.Server.Infrastructure;
using Forecasting.Server.Security;
using Forecasting.Tests.Support;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Forecasting.Tests.Support.ServerFactory;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>The server with the read cache turned off: every answer computed from the store.</summary>
public sealed class NoReadCacheServerFactory : ServerFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Limits:ReadCacheMegabytes"] = "0";
        return settings;
    }
}

/// <summary>
/// Repeated analytics reads come from the per-snapshot cache: the same answers as without it, per council scope,
/// still behind authentication, and never from before an import.
/// </summary>
[Trait("Category", "integration")]
public sealed class ReadCacheTests(ServerFactory cached, NoReadCacheServerFactory plain)
    : IClassFixture<ServerFactory>, IClassFixture<NoReadCacheServerFactory>
{
    private const string Harbridge = "E06009999";

    private static readonly (string Name, Func<AnalyticsService.AnalyticsServiceClient, Metadata, IMessage> Call)[] Reads =
    [
        ("contacts by month, Harbridge", (c, k) => c.GetFlowSeries(new FlowSeriesRequest
            { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Harbridge, Period = Period.Month } }, k)),
        ("contacts by quarter and route, every council", (c, k) => c.GetFlowSeries(new FlowSeriesRequest
            { Selector = new SeriesSelector { Metric = "contacts", Period = Period.Quarter, Breakdown = { "route" } } }, k)),
        ("admissions of 65+ in 2022/23 onwards", (c, k) => c.GetFlowSeries(new FlowSeriesRequest
            { Selector = new SeriesSelector { Metric = "admissions", CouncilCode = Harbridge, Period = Period.FinancialYear, FromDate = "2022-04-01",
                Filters = { new Filter { Dimension = "age_group", Values = { "65+" } } } } }, k)),
        ("65+ admission rates", (c, k) => c.GetRates(new RateRequest
            { Selector = new SeriesSelector { Metric = "admissions", CouncilCode = Harbridge }, AgeGroup = "65+" }, k)),
        ("residential care now", (c, k) => c.GetStockSnapshot(new StockRequest { Measure = "residential_care", CouncilCode = Harbridge }, k)),
        ("units in 2024", (c, k) => c.GetStockSnapshot(new StockRequest { Measure = "units", AsOf = "2024-01-01", Breakdown = { "status" } }, k)),
        ("transitions", (c, k) => c.GetTransitionsCohort(new TransitionsRequest { CouncilCode = Harbridge }, k)),
        ("pipeline", (c, k) => c.GetPipeline(new PipelineRequest { CouncilCode = Harbridge, Breakdown = { "status" } }, k)),
    ];

    private static AnalyticsService.AnalyticsServiceClient Client(ServerFactory factory) => new(factory.Channel());

    private static (IMessage? Answer, StatusCode Status) Outcome(Func<IMessage> call)
    {
        try { return (call(), StatusCode.OK); }
        catch (RpcException ex) { return (null, ex.StatusCode); }
    }

    [Fact]
    public void Cached_answers_are_the_answers_computed_without_the_cache()
    {
        var cache = cached.Services.GetRequiredService<ReadCache>();
        Assert.True(cache.Enabled);
        Assert.False(plain.Services.GetRequiredService<ReadCache>().Enabled);
        foreach (var (name, call) in Reads)
        {
            var expected = call(Client(plain), Key(CommissionerKey));
            var hits = cache.Hits;
            var first = call(Client(cached), Key(CommissionerKey));
            var second = call(Client(cached), Key(CommissionerKey));
            Assert.True(expected.Equals(first), name);
            Assert.True(expected.Equals(second), name);
            Assert.True(cache.Hits > hits, $"{name}: the repeat was not a cache hit");
        }
        Assert.True(cache.Count >= Reads.Length);
    }

    [Fact]
    public void A_council_scoped_key_never_gets_an_answer_kept_for_another_scope()
    {
        var everyCouncil = new FlowSeriesRequest { Selector = new SeriesSelector { Metric = "contacts", Period = Period.FinancialYear, Breakdown = { "council_code" } } };
        foreach (var key in new[] { CommissionerKey, HarbridgeStrategyKey, OthertonAnalystKey, CommissionerKey, OthertonAnalystKey, HarbridgeStrategyKey })
        {
            var expected = Outcome(() => Client(plain).GetFlowSeries(everyCouncil, Key(key)));
            var actual = Outcome(() => Client(cached).GetFlowSeries(everyCouncil, Key(key)));
            Assert.Equal(expected.Status, actual.Status);
            Assert.Equal(expected.Answer, actual.Answer);
        }
        // Otherton's key names Harbridge: not found, however often Harbridge's answer was kept for other keys.
        var named = new FlowSeriesRequest { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Harbridge } };
        Client(cached).GetFlowSeries(named, Key(CommissionerKey));
        var refused = Assert.Throws<RpcException>(() => Client(cached).GetFlowSeries(named, Key(OthertonAnalystKey)));
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public void A_kept_answer_still_needs_a_valid_key_and_errors_are_not_kept()
    {
        var request = new FlowSeriesRequest { Selector = new SeriesSelector { Metric = "contacts", CouncilCode = Harbridge, Period = Period.Quarter } };
        Client(cached).GetFlowSeries(request, Key(CommissionerKey));
        Client(cached).GetFlowSeries(request, Key(CommissionerKey));
        Assert.Equal(StatusCode.Unauthenticated, Assert.Throws<RpcException>(() => Client(cached).GetFlowSeries(request, new Metadata())).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, Assert.Throws<RpcException>(() => Client(cached).GetFlowSeries(request, Key("no-such-key"))).StatusCode);

        var unknown = new FlowSeriesRequest { Selector = new SeriesSelector { Metric = "no_such_metric", CouncilCode = Harbridge } };
        var count = cached.Services.GetRequiredService<ReadCache>().Count;
        for (var i = 0; i < 2; i++)
            Assert.Equal(Outcome(() => Client(plain).GetFlowSeries(unknown, Key(CommissionerKey))).Status,
                Assert.Throws<RpcException>(() => Client(cached).GetFlowSeries(unknown, Key(CommissionerKey))).StatusCode);
        Assert.True(cached.Services.GetRequiredService<ReadCache>().Count <= count);
    }

    [Fact]
    public async Task An_import_makes_the_next_answer_reflect_the_new_data()
    {
        using var server = new ServerFactory();
        var analytics = Client(server);
        var request = new FlowSeriesRequest
        {
            Selector = new SeriesSelector { Metric = "contacts", Period = Period.FinancialYear, Breakdown = { "council_code" } },
        };
        var before = analytics.GetFlowSeries(request, Key(CommissionerKey));
        Assert.Equal(before, analytics.GetFlowSeries(request, Key(CommissionerKey)));
        Assert.DoesNotContain(before.Groups, g => g.Key["council_code"] == "E06000001");

        var data = new DataService.DataServiceClient(server.Channel());
        using (var call = data.Upload(Key(AnalystKey)))
        {
            foreach (var (table, csv) in new[]
                     {
                         ("councils", "council_code,name,region\nE06000001,Otherton,North East\n"),
                         ("contacts", "council_code,contact_id,contact_date,route,channel,age_band,psr,locality,outcome,repeat_within_12m\n" +
                                      "E06000001,OT001,2024-04-03,community,phone,75-84,physical_support,,information_advice,false\n" +
                                      "E06000001,OT002,2024-05-10,community,phone,65-74,physical_support,,information_advice,false\n"),
                     })
            {
                await call.RequestStream.WriteAsync(new UploadChunk { Header = new UploadHeader { Table = table, FileName = table + ".csv" } });
                await call.RequestStream.WriteAsync(new UploadChunk { Data = ByteString.CopyFromUtf8(csv) });
            }
            await call.RequestStream.CompleteAsync();
            var report = await call;
            Assert.True(report.Succeeded, string.Join("; ", report.Issues));
            Assert.NotEqual(before.SnapshotId, report.SnapshotId);

            var after = analytics.GetFlowSeries(request, Key(CommissionerKey));
            Assert.Equal(report.SnapshotId, after.SnapshotId);
            var otherton = Assert.Single(after.Groups, g => g.Key["council_code"] == "E06000001");
            Assert.Equal(2.0, otherton.Points.Sum(p => p.Value));
            Assert.Equal(after, analytics.GetFlowSeries(request, Key(CommissionerKey)));
        }
    }
}

/// <summary>The cache itself: bounded, least recently used out first, dropped whole when the snapshot changes.</summary>
[Trait("Category", "unit")]
public sealed class ReadCacheBoundsTests
{
    private static FakeCallContext Context()
    {
        var context = new FakeCallContext();
        context.UserState[Caller.UserStateKey] = new Caller("test", Role.Commissioner, null);
        return context;
    }

    private static FlowSeriesRequest Request(int i) => new() { Selector = new SeriesSelector { Metric = $"m{i}" } };

    private static FlowSeriesResponse Answer(string snapshot, int i) =>
        new() { Metric = $"m{i}:" + new string('x', 50_000), SnapshotId = snapshot };

    [Fact]
    public void Holds_at_most_its_memory_limit_evicting_the_least_recently_used()
    {
        var snapshot = "s1";
        var cache = new ReadCache(Options.Create(new LimitsOptions { ReadCacheMegabytes = 1 }), () => snapshot);
        var computed = 0;
        FlowSeriesResponse Ask(int i) => cache.Answer(Context(), Request(i), () => { computed++; return Answer(snapshot, i); }, r => r.SnapshotId);

        for (var i = 0; i < 20; i++)
        {
            Ask(i);
            Ask(0);
        }
        Assert.True(cache.Bytes <= 1024 * 1024, $"{cache.Bytes} bytes held");
        Assert.InRange(cache.Count, 2, 7);
        computed = 0;
        Assert.StartsWith("m0:", Ask(0).Metric);
        Assert.StartsWith("m19:", Ask(19).Metric);
        Assert.Equal(0, computed);
        Ask(1);
        Assert.Equal(1, computed);
    }

    [Fact]
    public void A_new_snapshot_drops_every_answer_of_the_old_one_and_a_changing_snapshot_keeps_nothing()
    {
        var snapshot = "s1";
        var cache = new ReadCache(Options.Create(new LimitsOptions()), () => snapshot);
        var computed = 0;
        FlowSeriesResponse Ask(int i) => cache.Answer(Context(), Request(i), () => { computed++; return Answer(snapshot, i); }, r => r.SnapshotId);

        Ask(1);
        Ask(2);
        Assert.Equal(2, cache.Count);
        snapshot = "s2";
        Assert.Equal("s2", Ask(1).SnapshotId);
        Assert.Equal(1, cache.Count);
        Assert.Equal(3, computed);

        // An answer of another snapshot than the one current before and after it was computed is returned, not kept.
        Assert.Equal("s1", cache.Answer(Context(), Request(3), () => Answer("s1", 3), r => r.SnapshotId).SnapshotId);
        Ask(3);
        Assert.Equal(4, computed);
        var count = cache.Count;
        cache.Answer(Context(), Request(4), () => { snapshot = "s3"; return Answer("s2", 4); }, r => r.SnapshotId);
        Assert.Equal(count, cache.Count);

        var off = new ReadCache(Options.Create(new LimitsOptions { ReadCacheMegabytes = 0 }), () => snapshot);
        off.Answer(Context(), Request(1), () => Answer(snapshot, 1), r => r.SnapshotId);
        Assert.Equal(0, off.Count);
    }
}
