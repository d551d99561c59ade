using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client;

/// <summary>
/// The one entry point to the Forecasting service. Every call carries the API key and a deadline;
/// idempotent reads are retried a few times when the server is unavailable; failures surface as
/// <see cref="ForecastingClientException"/>.
/// </summary>
public sealed class ForecastingClient : IDisposable
{
    public const string ApiKeyHeader = "x-api-key";

    private readonly GrpcChannel _channel;
    private readonly bool _ownsChannel;
    private readonly ForecastingClientOptions _options;
    private readonly V1.DataService.DataServiceClient _data;
    private readonly V1.AnalyticsService.AnalyticsServiceClient _analytics;
    private readonly V1.ForecastService.ForecastServiceClient _forecast;
    private readonly V1.PlanningService.PlanningServiceClient _planning;
    private readonly V1.AuditService.AuditServiceClient _audit;

    public ForecastingClient(string address, string? apiKey, TimeSpan? defaultDeadline = null)
        : this(new ForecastingClientOptions
        {
            Address = address,
            ApiKey = apiKey,
            DefaultDeadline = defaultDeadline ?? TimeSpan.FromSeconds(30),
        })
    {
    }

    public ForecastingClient(ForecastingClientOptions options)
        : this(options, CreateChannel(options.Address), ownsChannel: true)
    {
    }

    /// <summary>Uses an existing channel (e.g. one over an in-process test server); the channel is not disposed.</summary>
    public ForecastingClient(ForecastingClientOptions options, GrpcChannel channel)
        : this(options, channel, ownsChannel: false)
    {
    }

    private ForecastingClient(ForecastingClientOptions options, GrpcChannel channel, bool ownsChannel)
    {
        if (options.DefaultDeadline <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "DefaultDeadline must be positive.");
        if (options.LongDeadline <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "LongDeadline must be positive.");
        _options = options;
        _channel = channel;
        _ownsChannel = ownsChannel;
        _data = new V1.DataService.DataServiceClient(channel);
        _analytics = new V1.AnalyticsService.AnalyticsServiceClient(channel);
        _forecast = new V1.ForecastService.ForecastServiceClient(channel);
        _planning = new V1.PlanningService.PlanningServiceClient(channel);
        _audit = new V1.AuditService.AuditServiceClient(channel);
    }

    public ForecastingClientOptions Options => _options;

    private static GrpcChannel CreateChannel(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new ArgumentException($"Server address '{address}' is not an http:// or https:// URL, e.g. http://127.0.0.1:5080.", nameof(address));
        return GrpcChannel.ForAddress(uri, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        });
    }

    public void Dispose()
    {
        if (_ownsChannel) _channel.Dispose();
    }

    // ---------- plumbing ----------

    private CallOptions Call(DateTime deadline, CancellationToken ct)
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(_options.ApiKey)) headers.Add(ApiKeyHeader, _options.ApiKey);
        return new CallOptions(headers, deadline, ct);
    }

    private DateTime Deadline(bool longRunning) =>
        DateTime.UtcNow + (longRunning ? _options.LongDeadline : _options.DefaultDeadline);

    /// <summary>An idempotent read: retried on UNAVAILABLE with doubling backoff, all attempts within one deadline.</summary>
    private async Task<T> ReadAsync<T>(string operation, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken ct)
    {
        var deadline = Deadline(false);
        var delay = _options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(Call(deadline, ct)).ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable
                                         && attempt < Math.Max(1, _options.MaxAttempts)
                                         && DateTime.UtcNow + delay < deadline
                                         && !ct.IsCancellationRequested)
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay += delay;
            }
            catch (RpcException e)
            {
                throw ForecastingClientException.From(e, operation);
            }
        }
    }

    /// <summary>A call that changes state or computes a stored result: never retried.</summary>
    private async Task<T> WriteAsync<T>(string operation, bool longRunning, Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken ct)
    {
        try
        {
            return await call(Call(Deadline(longRunning), ct)).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw ForecastingClientException.From(e, operation);
        }
    }

    private async IAsyncEnumerable<TOut> StreamAsync<TIn, TOut>(
        string operation,
        Func<CallOptions, AsyncServerStreamingCall<TIn>> start,
        Func<TIn, TOut> map,
        [EnumeratorCancellation] CancellationToken ct)
    {
        AsyncServerStreamingCall<TIn> call;
        try
        {
            call = start(Call(Deadline(true), ct));
        }
        catch (RpcException e)
        {
            throw ForecastingClientException.From(e, operation);
        }

        using (call)
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await call.ResponseStream.MoveNext(ct).ConfigureAwait(false);
                }
                catch (RpcException e)
                {
                    throw ForecastingClientException.From(e, operation);
                }

                if (!more) yield break;
                yield return map(call.ResponseStream.Current);
            }
        }
    }

    // ---------- data ----------

    public async Task<StoreStatusInfo> GetStatusAsync(CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetStatus", o => _data.GetStatusAsync(new V1.StatusRequest(), o), ct));

    /// <summary>
    /// Imports files that already sit on the server: a whole directory and/or named files.
    /// An import removing more than half of a council's rows in a table fails unless <paramref name="allowShrink"/>.
    /// </summary>
    public async Task<ImportOutcome> ImportAsync(string? serverDirectory, IEnumerable<ServerFile>? files = null, bool dryRun = false,
        CancellationToken ct = default, bool allowShrink = false)
    {
        var request = new V1.ImportRequest { Directory = serverDirectory ?? "", DryRun = dryRun, AllowShrink = allowShrink };
        foreach (var f in files ?? Array.Empty<ServerFile>())
            request.Files.Add(new V1.ImportFile { Path = f.Path, Table = f.Table ?? "", Format = FormatOf(f.Path) });
        return ProtoMapping.FromProto(await WriteAsync("Import", true, o => _data.ImportAsync(request, o), ct));
    }

    /// <summary>
    /// Streams local files to the server in chunks; they are validated and imported together.
    /// An import removing more than half of a council's rows in a table fails unless <paramref name="allowShrink"/>.
    /// </summary>
    public async Task<ImportOutcome> UploadAsync(IEnumerable<LocalFile> files, bool dryRun = false, CancellationToken ct = default,
        bool allowShrink = false)
    {
        var list = files.ToList();
        if (list.Count == 0) throw new ArgumentException("Give at least one file to upload.", nameof(files));
        foreach (var f in list)
            if (!File.Exists(f.Path)) throw new FileNotFoundException($"File to upload not found: {f.Path}", f.Path);

        using var call = _data.Upload(Call(Deadline(true), ct));
        try
        {
            var buffer = new byte[Math.Max(1024, _options.UploadChunkSize)];
            foreach (var f in list)
            {
                await call.RequestStream.WriteAsync(new V1.UploadChunk
                {
                    Header = new V1.UploadHeader
                    {
                        Table = f.Table ?? "",
                        FileName = Path.GetFileName(f.Path),
                        Format = FormatOf(f.Path),
                        DryRun = dryRun,
                        AllowShrink = allowShrink,
                    },
                }, ct).ConfigureAwait(false);

                await using var stream = File.OpenRead(f.Path);
                int read;
                while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    await call.RequestStream.WriteAsync(new V1.UploadChunk { Data = ByteString.CopyFrom(buffer, 0, read) }, ct)
                        .ConfigureAwait(false);
                }
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // The server ended the call early: its status, read below, says why.
        }
        catch (InvalidOperationException)
        {
            // Writing after the call completed: the response below carries the status.
        }

        try
        {
            return ProtoMapping.FromProto(await call.ResponseAsync.ConfigureAwait(false));
        }
        catch (RpcException e)
        {
            throw ForecastingClientException.From(e, "Upload");
        }
    }

    public async Task<ImportOutcome> GetValidationReportAsync(string? importId = null, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetValidationReport",
            o => _data.GetValidationReportAsync(new V1.ValidationReportRequest { ImportId = importId ?? "" }, o), ct));

    private static V1.FileFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => V1.FileFormat.Csv,
        ".parquet" => V1.FileFormat.Parquet,
        _ => V1.FileFormat.Unspecified,
    };

    // ---------- analytics ----------

    public async Task<IReadOnlyList<MetricDescription>> ListMetricsAsync(CancellationToken ct = default)
    {
        var r = await ReadAsync("ListMetrics", o => _analytics.ListMetricsAsync(new V1.ListMetricsRequest(), o), ct);
        return r.Metrics.Select(m => new MetricDescription(m.Name, m.Kind, m.Description, m.Dimensions.ToList())).ToList();
    }

    public async Task<FlowSeriesResult> GetFlowSeriesAsync(SeriesQuery query, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetFlowSeries",
            o => _analytics.GetFlowSeriesAsync(new V1.FlowSeriesRequest { Selector = ProtoMapping.ToProto(query) }, o), ct));

    public async Task<RateSeriesResult> GetRatesAsync(RateQuery query, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetRates", o => _analytics.GetRatesAsync(ProtoMapping.ToProto(query), o), ct));

    public async Task<TableResult> GetStockSnapshotAsync(StockQuery query, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetStockSnapshot", o => _analytics.GetStockSnapshotAsync(ProtoMapping.ToProto(query), o), ct));

    public async Task<TableResult> GetTransitionsCohortAsync(TransitionsQuery query, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetTransitionsCohort", o => _analytics.GetTransitionsCohortAsync(ProtoMapping.ToProto(query), o), ct));

    public async Task<TableResult> GetPipelineAsync(PipelineQuery query, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetPipeline", o => _analytics.GetPipelineAsync(ProtoMapping.ToProto(query), o), ct));

    // ---------- forecasts ----------

    public async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken ct = default) =>
        (await ReadAsync("ListModels", o => _forecast.ListModelsAsync(new V1.ListModelsRequest(), o), ct)).Models.ToList();

    /// <summary>Forecasts one selector; the run is stored on the server, so this call is not retried.</summary>
    public async Task<ForecastResult> ForecastAsync(ForecastQuery query, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await WriteAsync("Forecast", true, o => _forecast.ForecastAsync(ProtoMapping.ToProto(query), o), ct));

    /// <summary>Recomputes every standard series; the last update carries the run id.</summary>
    public IAsyncEnumerable<RefreshUpdate> RefreshAsync(string? councilCode = null, string? untilFy = null, IEnumerable<double>? levels = null, CancellationToken ct = default)
    {
        var request = new V1.RefreshRequest { CouncilCode = councilCode ?? "", UntilFy = untilFy ?? "" };
        if (levels is not null) request.Levels.AddRange(levels);
        return StreamAsync("Refresh", o => _forecast.Refresh(request, o), ProtoMapping.FromProto, ct);
    }

    public async Task<IReadOnlyList<RunSummary>> ListRunsAsync(int limit = 0, CancellationToken ct = default) =>
        (await ReadAsync("ListRuns", o => _forecast.ListRunsAsync(new V1.ListRunsRequest { Limit = limit }, o), ct))
        .Runs.Select(ProtoMapping.FromProto).ToList();

    public async Task<ForecastResult> GetRunAsync(string runId, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetRun", o => _forecast.GetRunAsync(new V1.GetRunRequest { RunId = runId }, o), ct));

    public async Task<YearEndEstimate> EstimateYearEndAsync(YearEndQuery query, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("EstimateYearEnd", o => _forecast.EstimateYearEndAsync(ProtoMapping.ToProto(query), o), ct));

    // ---------- audit ----------

    /// <summary>The audit trail of writes, newest first (analyst). Filters are optional; at most 1,000 events.</summary>
    public async Task<IReadOnlyList<AuditEventInfo>> ListAuditEventsAsync(AuditQuery? query = null, CancellationToken ct = default)
    {
        query ??= new AuditQuery();
        var request = new V1.ListAuditEventsRequest
        {
            Since = query.Since is { } since ? since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "",
            KeyName = query.KeyName ?? "",
            Method = query.Method ?? "",
            Limit = query.Limit,
        };
        return (await ReadAsync("ListAuditEvents", o => _audit.ListAuditEventsAsync(request, o), ct)).Events.Select(ProtoMapping.FromProto).ToList();
    }

    // ---------- planning ----------

    public async Task<IReadOnlyList<StrategyInfo>> ListStrategiesAsync(string? councilCode = null, CancellationToken ct = default) =>
        (await ReadAsync("ListStrategies", o => _planning.ListStrategiesAsync(new V1.ListStrategiesRequest { CouncilCode = councilCode ?? "" }, o), ct))
        .Strategies.Select(ProtoMapping.FromProto).ToList();

    /// <summary>Re-bases a strategy's targets as a new version; earlier versions stay readable.</summary>
    public async Task<StrategyInfo> CreateStrategyVersionAsync(StrategyVersionDraft draft, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await WriteAsync("CreateStrategyVersion", false,
            o => _planning.CreateStrategyVersionAsync(ProtoMapping.ToProto(draft), o), ct));

    public async Task<StrategyInfo> GetStrategyAsync(string? councilCode, string strategyId, int version = 0, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetStrategy", o => _planning.GetStrategyAsync(
            new V1.GetStrategyRequest { CouncilCode = councilCode ?? "", StrategyId = strategyId, Version = version }, o), ct));

    public async Task<ScenarioInfo> CreateScenarioAsync(ScenarioDraft draft, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await WriteAsync("CreateScenario", false, o => _planning.CreateScenarioAsync(ProtoMapping.ToProto(draft), o), ct));

    /// <summary>Stores a new revision of the scenario.</summary>
    public async Task<ScenarioInfo> UpdateScenarioAsync(string scenarioId, ScenarioDraft draft, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await WriteAsync("UpdateScenario", false, o => _planning.UpdateScenarioAsync(new V1.UpdateScenarioRequest
        {
            ScenarioId = scenarioId,
            Name = draft.Name ?? "",
            Description = draft.Description ?? "",
            Levers = ProtoMapping.ToProto(draft.Levers ?? new ScenarioLeverSet()),
        }, o), ct));

    public async Task<IReadOnlyList<ScenarioInfo>> ListScenariosAsync(string? councilCode = null, bool includeDeleted = false, CancellationToken ct = default) =>
        (await ReadAsync("ListScenarios", o => _planning.ListScenariosAsync(
            new V1.ListScenariosRequest { CouncilCode = councilCode ?? "", IncludeDeleted = includeDeleted }, o), ct))
        .Scenarios.Select(ProtoMapping.FromProto).ToList();

    public async Task<ScenarioInfo> GetScenarioAsync(string scenarioId, int revision = 0, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetScenario", o => _planning.GetScenarioAsync(
            new V1.GetScenarioRequest { ScenarioId = scenarioId, Revision = revision }, o), ct));

    public async Task DeleteScenarioAsync(string scenarioId, CancellationToken ct = default) =>
        await WriteAsync("DeleteScenario", false, o => _planning.DeleteScenarioAsync(new V1.DeleteScenarioRequest { ScenarioId = scenarioId }, o), ct);

    /// <summary>Runs a scenario (or the baseline when ScenarioId is empty); the last update carries the result.</summary>
    public IAsyncEnumerable<ScenarioRunUpdate> RunScenarioAsync(ScenarioRunRequest request, CancellationToken ct = default)
    {
        var pb = new V1.RunScenarioRequest
        {
            ScenarioId = request.ScenarioId ?? "",
            Revision = request.Revision,
            CouncilCode = request.CouncilCode ?? "",
            Draws = request.Draws,
            Seed = request.Seed,
            AsOf = request.AsOf is { } asOf ? ProtoMapping.Iso(asOf) : "",
        };
        return StreamAsync("RunScenario", o => _planning.RunScenario(pb, o), ProtoMapping.FromProto, ct);
    }

    /// <summary>Runs a scenario to the end and returns its result, reporting progress on the way.</summary>
    public async Task<ScenarioOutcome> RunScenarioToEndAsync(ScenarioRunRequest request, IProgress<ScenarioRunUpdate>? progress = null, CancellationToken ct = default)
    {
        ScenarioOutcome? result = null;
        await foreach (var update in RunScenarioAsync(request, ct).ConfigureAwait(false))
        {
            progress?.Report(update);
            if (update.Result is not null) result = update.Result;
        }

        return result ?? throw new ForecastingClientException(StatusCode.Internal, "the progress stream ended without a result", "RunScenario");
    }

    public async Task<ScenarioOutcome> GetScenarioResultAsync(string resultId, CancellationToken ct = default) =>
        ProtoMapping.FromProto(await ReadAsync("GetScenarioResult",
            o => _planning.GetScenarioResultAsync(new V1.GetScenarioResultRequest { ResultId = resultId }, o), ct));

    /// <summary>Runs each scenario at its latest revision and compares them with the baseline.</summary>
    public async Task<ScenarioComparisonResult> CompareScenariosAsync(string? councilCode, IEnumerable<string> scenarioIds, int draws = 0, long seed = 0,
        CancellationToken ct = default, DateOnly? asOf = null)
    {
        var request = new V1.CompareScenariosRequest
        {
            CouncilCode = councilCode ?? "", Draws = draws, Seed = seed, AsOf = asOf is { } d ? ProtoMapping.Iso(d) : "",
        };
        request.ScenarioIds.AddRange(scenarioIds);
        return ProtoMapping.FromProto(await WriteAsync("CompareScenarios", true, o => _planning.CompareScenariosAsync(request, o), ct));
    }

    /// <summary>
    /// Backtest of the planning model: the baseline as of each origin (default 31 March four and three years before
    /// the end) against the people housed, the waiting list and the new tenancies the data shows up to the end.
    /// </summary>
    public async Task<PlanningBacktestResult> BacktestPlanningAsync(string? councilCode, IEnumerable<DateOnly>? origins = null, DateOnly? end = null,
        int draws = 0, long seed = 0, CancellationToken ct = default)
    {
        var request = new V1.BacktestPlanningRequest
        {
            CouncilCode = councilCode ?? "", End = end is { } e ? ProtoMapping.Iso(e) : "", Draws = draws, Seed = seed,
        };
        request.Origins.AddRange((origins ?? []).Select(d => ProtoMapping.Iso(d)));
        return ProtoMapping.FromProto(await ReadAsync("BacktestPlanning", o => _planning.BacktestPlanningAsync(request, o), ct));
    }
}
