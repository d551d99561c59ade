using System.Diagnostics;
using Forecasting.Contracts.V1;
using Forecasting.Server.Security;
using Forecasting.Store;
using Forecasting.Store.Audit;
using Forecasting.Tests.Support;
using Forecasting.TestSupport;
using Google.Protobuf;
using Grpc.Core;
using static Forecasting.TestSupport.SampleServerFactory;

namespace Forecasting.Tests.Grpc;

/// <summary>Two councils with scoped keys, a low rate and a slow summary flush, so an attack meets each limit quickly.</summary>
public sealed class AttackServerFactory : ServerFactory
{
    public const string OthertonCommissionerKey = "otherton-commissioner-key";
    public const string HarbridgeAnalystKey = "harbridge-analyst-key";

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Auth:Keys:5:Name"] = "otherton commissioner";
        settings["Auth:Keys:5:Role"] = "commissioner";
        settings["Auth:Keys:5:Sha256"] = ApiKeyHasher.Hash(OthertonCommissionerKey);
        settings["Auth:Keys:5:Councils:0"] = "E06000001";
        settings["Auth:Keys:6:Name"] = "harbridge analyst";
        settings["Auth:Keys:6:Role"] = "analyst";
        settings["Auth:Keys:6:Sha256"] = ApiKeyHasher.Hash(HarbridgeAnalystKey);
        settings["Auth:Keys:6:Councils:0"] = "E06009999";
        settings["Limits:RequestsPerSecondPerKey"] = "5";
        settings["Limits:BurstPerKey"] = "20";
        // Counts are written when the audit is read (and when the server stops), not on a timer, within a test.
        settings["Limits:AuditSummaryFlushSeconds"] = "3600";
        // Wrong keys: five per prefix a minute, then a lockout; the address limit stays high (every in-process call shares one).
        settings["Limits:FailedAuthPerKeyPrefix"] = "5";
        settings["Limits:FailedAuthDelayMilliseconds"] = "200";
        return settings;
    }
}

/// <summary>
/// The audit trail and authentication under attack: a read-only key of one council flooding refused writes, a scoped
/// analyst asking for another council's validation report, and many wrong keys.
/// </summary>
[Trait("Category", "integration")]
public sealed class AuditFloodAndAuthenticationTests(AttackServerFactory factory) : IClassFixture<AttackServerFactory>
{
    private const string Harbridge = "E06009999";
    private const string Otherton = "E06000001";

    private DataService.DataServiceClient Data => new(factory.Channel());
    private AuditService.AuditServiceClient Audit => new(factory.Channel());

    private async Task<List<AuditEvent>> Events(string key, string? method = null) =>
        (await Audit.ListAuditEventsAsync(new ListAuditEventsRequest { Limit = 1000, Method = method ?? "" }, Key(key))).Events.ToList();

    private async Task<ImportReport> Upload(string key, string table, string csv)
    {
        using var call = Data.Upload(Key(key));
        await call.RequestStream.WriteAsync(new UploadChunk { Header = new UploadHeader { Table = table, FileName = table + ".csv" } });
        await call.RequestStream.WriteAsync(new UploadChunk { Data = ByteString.CopyFromUtf8(csv) });
        await call.RequestStream.CompleteAsync();
        return await call;
    }

    [Fact]
    public async Task Refused_writes_of_another_council_are_rate_limited_counted_and_cannot_push_out_a_councils_events()
    {
        // Council A (Harbridge) writes: an import of its own council's rows, audited with its import id.
        var own = await Upload(AttackServerFactory.HarbridgeAnalystKey, "councils", "council_code,name,region\nE06009999,Harbridge City Council,East Midlands\n");
        Assert.True(own.Succeeded, string.Join("; ", own.Issues));
        var before = await Events(AttackServerFactory.HarbridgeAnalystKey);
        Assert.Contains(before, e => e.Target.Contains($"import_id={own.ImportId}"));

        // Council B's read-only key floods Import, which its role may not call: 400 calls as fast as the server answers.
        var outcomes = new Dictionary<StatusCode, int>();
        var tasks = Enumerable.Range(0, 400).Select(async _ =>
        {
            try
            {
                await Data.ImportAsync(new ImportRequest { Directory = "harbridge" }, Key(AttackServerFactory.OthertonCommissionerKey));
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        });
        foreach (var code in await Task.WhenAll(tasks)) outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
        // The rate is taken before the role: past the burst of 20 the key is refused for its rate, not its role.
        Assert.Equal(400, outcomes.GetValueOrDefault(StatusCode.PermissionDenied) + outcomes.GetValueOrDefault(StatusCode.ResourceExhausted));
        Assert.InRange(outcomes.GetValueOrDefault(StatusCode.PermissionDenied), 20, 150);

        // Every refused call is counted, in at most one event per outcome and minute.
        var all = await Events(AnalystKey, "Import");
        var flood = all.Where(e => e.KeyName == "otherton commissioner").ToList();
        Assert.Equal(400, flood.Sum(e => e.Calls));
        Assert.InRange(flood.Count, 2, 4);
        Assert.All(flood, e => Assert.Equal("summary", e.CorrelationId));
        Assert.Equal(outcomes[StatusCode.PermissionDenied], flood.Where(e => e.Outcome == "PermissionDenied").Sum(e => e.Calls));

        // Council A still reads every event it had; council B's refusals are not among a Harbridge key's events.
        var after = await Events(AttackServerFactory.HarbridgeAnalystKey);
        Assert.Empty(before.Select(e => e.EventId).Except(after.Select(e => e.EventId)));
        Assert.DoesNotContain(after, e => e.KeyName == "otherton commissioner");
    }

    [Fact]
    public async Task A_scoped_analyst_never_reads_another_councils_validation_report()
    {
        // Otherton's analyst imports a file whose rows quote Otherton's data; the audit trail plays no part in the lookup.
        var theirs = await Upload(ServerFactory.OthertonAnalystKey, "councils", "council_code,name,region\nE06000001,Otherton,North East\n");
        Assert.True(theirs.Succeeded, string.Join("; ", theirs.Issues));

        // Harbridge's analyst asks by id, and for "the latest": neither is Otherton's report.
        var byId = await Assert.ThrowsAsync<RpcException>(() =>
            Data.GetValidationReportAsync(new ValidationReportRequest { ImportId = theirs.ImportId }, Key(AttackServerFactory.HarbridgeAnalystKey)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, byId.StatusCode);
        try
        {
            var latest = await Data.GetValidationReportAsync(new ValidationReportRequest(), Key(AttackServerFactory.HarbridgeAnalystKey));
            Assert.NotEqual(theirs.ImportId, latest.ImportId);
            Assert.All(latest.Changes, c => Assert.Equal(Harbridge, c.CouncilCode));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
        }

        // Its own council's keys and a key of every council read it.
        Assert.Equal(theirs.ImportId, (await Data.GetValidationReportAsync(new ValidationReportRequest(), Key(ServerFactory.OthertonAnalystKey))).ImportId);
        Assert.Equal(theirs.ImportId,
            (await Data.GetValidationReportAsync(new ValidationReportRequest { ImportId = theirs.ImportId }, Key(AnalystKey))).ImportId);
        Assert.All((await Data.GetValidationReportAsync(new ValidationReportRequest { ImportId = theirs.ImportId }, Key(AnalystKey))).Changes,
            c => Assert.Equal(Otherton, c.CouncilCode));
    }

    [Fact]
    public async Task Wrong_keys_are_delayed_then_locked_out_by_prefix_and_counted_in_the_audit()
    {
        var status = new DataService.DataServiceClient(factory.Channel());
        var codes = new List<StatusCode>();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 9; i++)
        {
            try { await status.GetStatusAsync(new StatusRequest(), Key($"guess-{i:D4}-not-a-key")); }
            catch (RpcException e) { codes.Add(e.StatusCode); }
        }
        // Five failures are answered (each after the 200 ms delay); the sixth locks the prefix "guess-" out.
        Assert.Equal(Enumerable.Repeat(StatusCode.Unauthenticated, 6).Concat(Enumerable.Repeat(StatusCode.ResourceExhausted, 3)), codes);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(6 * 200), $"six failures answered in {watch.ElapsedMilliseconds} ms");

        // Keys of another prefix still work, and the failures are in the trail as counts, not one event each.
        var events = await Events(AnalystKey, "GetStatus");
        var unknown = events.Where(e => e.KeyName == Forecasting.Application.Limits.AuthenticationThrottle.UnknownKey).ToList();
        Assert.Equal(6, unknown.Where(e => e.Outcome == "Unauthenticated").Sum(e => e.Calls));
        Assert.Equal(3, unknown.Where(e => e.Outcome == "ResourceExhausted").Sum(e => e.Calls));
        Assert.InRange(unknown.Count, 2, 4);
        Assert.All(unknown, e => Assert.DoesNotContain("guess", e.Detail));
    }

    [Fact]
    public void The_audit_service_only_reads_and_the_trail_has_no_way_to_change_an_event()
    {
        var service = Assert.Single(ContractServices.All, s => s.Name == "AuditService");
        var method = Assert.Single(service.Methods);
        Assert.Equal("ListAuditEvents", method.Name);
        Assert.False(AccessPolicy.Writes("/forecasting.v1.AuditService/ListAuditEvents"));
        Assert.Equal(["List", "Record", "RecordSummaries"], typeof(IAuditTrail).GetMethods().Select(m => m.Name).Order().ToArray());
    }
}

/// <summary>The trail keeps events by age only: never fewer than 13 months, whatever the count.</summary>
[Trait("Category", "integration")]
public sealed class AuditRetentionTests : IDisposable
{
    private readonly string _directory = RepoPaths.TempDirectory();
    private readonly ForecastingStore _store;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));

    public AuditRetentionTests() => _store = new ForecastingStore(new StoreOptions { Path = Path.Combine(_directory, "audit.duckdb") });

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static AuditEntry Entry(string key, string council) =>
        new(key, "analyst", "forecasting.v1.DataService/Import", council, "import_id=x", "OK", null, 0.1, "c0ffee");

    [Fact]
    public void Events_are_removed_by_age_after_thirteen_months_and_never_by_count()
    {
        Assert.Throws<InvalidOperationException>(() => new AuditTrail(_store, TimeSpan.FromDays(395)));
        var trail = new AuditTrail(_store, TimeSpan.FromDays(396), _clock);
        trail.Record(Entry("a", "E06009999"));
        _clock.Now = _clock.Now.AddDays(30);
        // 2,000 events of another council a month later (more than any count-based cap of a test would keep).
        for (var i = 0; i < 2000; i++) trail.Record(Entry("b", "E06000001"));
        trail.RecordSummaries([new AuditSummary("b", "commissioner", "forecasting.v1.DataService/Import", null, "PermissionDenied", "refused",
            new DateTime(2026, 2, 14, 9, 0, 0, DateTimeKind.Utc), 5000)]);
        Assert.Single(trail.List(null, "a", null, 10, null, "-"));

        // 395 days after the first event it is still kept; 397 days after, it is gone and the later ones stay.
        _clock.Now = new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero).AddDays(395);
        Assert.Equal(0, trail.RemoveExpired());
        _clock.Now = new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero).AddDays(397);
        Assert.Equal(1, trail.RemoveExpired());
        Assert.Empty(trail.List(null, "a", null, 10, null, "-"));
        Assert.Equal(1000, trail.List(null, "b", null, 1000, null, "-").Count);
    }

    [Fact]
    public void A_summary_is_one_event_per_minute_whose_count_adds_up_over_flushes()
    {
        var trail = new AuditTrail(_store, TimeSpan.FromDays(400), _clock);
        var minute = new DateTime(2026, 1, 15, 9, 0, 0, DateTimeKind.Utc);
        var summary = new AuditSummary("b", "commissioner", "forecasting.v1.DataService/Import", null, "PermissionDenied", "refused", minute, 7);
        trail.RecordSummaries([summary]);
        trail.RecordSummaries([summary with { Calls = 5 }, summary with { Minute = minute.AddMinutes(1), Calls = 2 }]);
        var events = trail.List(null, "b", null, 10, null, "-");
        Assert.Equal([2L, 12L], events.Select(e => e.Calls).ToArray());
    }
}

/// <summary>Refused calls are counted in memory and written as one summary per key, method, outcome and minute.</summary>
[Trait("Category", "unit")]
public sealed class RefusalTallyTests
{
    private sealed class FlakyTrail : IAuditTrail
    {
        public int FailuresLeft;
        public List<AuditSummary> Written { get; } = [];

        public void Record(AuditEntry entry) => throw new NotSupportedException();

        public void RecordSummaries(IReadOnlyCollection<AuditSummary> summaries)
        {
            if (FailuresLeft-- > 0) throw new IOException("store busy");
            Written.AddRange(summaries);
        }

        public IReadOnlyList<AuditEventRecord> List(DateTime? since, string? keyName, string? method, int limit, IReadOnlyCollection<string>? councils,
            string ownKey) => [];
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Counts_are_grouped_by_minute_and_kept_when_a_write_fails()
    {
        var trail = new FlakyTrail { FailuresLeft = 1 };
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 2, 10, 15, 20, TimeSpan.Zero));
        using var tally = new Forecasting.Application.Audit.RefusalTally(trail, TimeSpan.FromHours(1), clock);
        for (var i = 0; i < 250; i++) tally.Add("b", "commissioner", "m/Import", null, "PermissionDenied", "needs analyst");
        clock.Now = clock.Now.AddSeconds(50);
        for (var i = 0; i < 30; i++) tally.Add("b", "commissioner", "m/Import", null, "PermissionDenied", "needs analyst");

        // The store refuses the first write: nothing is lost, and the next flush writes the counts of each minute once.
        Assert.Throws<IOException>(tally.Flush);
        tally.Add("b", "commissioner", "m/Import", null, "PermissionDenied", "needs analyst");
        tally.Flush();
        Assert.Equal([(new DateTime(2026, 3, 2, 10, 15, 0), 250L), (new DateTime(2026, 3, 2, 10, 16, 0), 31L)],
            trail.Written.OrderBy(s => s.Minute).Select(s => (s.Minute, s.Calls)).ToArray());
        Assert.All(trail.Written, s => Assert.EndsWith("needs analyst", s.Detail));
        tally.Flush();
        Assert.Equal(2, trail.Written.Count);
    }
}
