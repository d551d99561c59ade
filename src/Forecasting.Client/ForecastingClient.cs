using System.Runtime.CompilerServices;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Client;

/// <summary>A local file to stream to the server. Table empty = inferred by the server from the file name.</summary>
public sealed record LocalFile(string Path, string? Table = null);

/// <summary>
/// The one entry point to the Forecasting service. Methods take and return the generated messages of
/// <c>protos/forecasting/v1</c>. Every call carries the API key or the directory's bearer token, and a deadline; idempotent reads are retried by the
/// channel's retry policy when the server is unavailable; failures surface as <see cref="ForecastingClientException"/>.
/// </summary>
public sealed class ForecastingClient : IDisposable
{
    public const string ApiKeyHeader = "x-api-key";
    public const string AuthorizationHeader = "authorization";

    private readonly GrpcChannel _channel;
    private readonly bool _ownsChannel;
    private readonly ForecastingClientOptions _options;
    private readonly V1.DataService.DataServiceClient _data;
    private readonly V1.AnalyticsService.AnalyticsServiceClient _analytics;
    private readonly V1.ForecastService.ForecastServiceClient _forecast;
    private readonly V1.PlanningService.PlanningServiceClient _planning;
    private readonly V1.AuditService.AuditServiceClient _audit;
    private readonly V1.PerformanceService.PerformanceServiceClient _performance;

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
        : this(options, CreateChannel(options, null), ownsChannel: true)
    {
    }

    /// <summary>
    /// Sends over <paramref name="handler"/> (e.g. an in-process test server's, or one that logs), with the retry policy
    /// of <paramref name="options"/>; the handler is not disposed.
    /// </summary>
    public ForecastingClient(ForecastingClientOptions options, HttpMessageHandler handler)
        : this(options, CreateChannel(options, handler), ownsChannel: true)
    {
    }

    /// <summary>Uses an existing channel as it is (its own retry policy, if any); the channel is not disposed.</summary>
    public ForecastingClient(ForecastingClientOptions options, GrpcChannel channel)
        : this(options, channel, ownsChannel: false)
    {
    }

    private ForecastingClient(ForecastingClientOptions options, GrpcChannel channel, bool ownsChannel)
    {
        if (options.DefaultDeadline <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "DefaultDeadline must be positive.");
        if (options.LongDeadline <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "LongDeadline must be positive.");
        CheckCredentials(options);
        _options = options;
        _channel = channel;
        _ownsChannel = ownsChannel;
        _data = new V1.DataService.DataServiceClient(channel);
        _analytics = new V1.AnalyticsService.AnalyticsServiceClient(channel);
        _forecast = new V1.ForecastService.ForecastServiceClient(channel);
        _planning = new V1.PlanningService.PlanningServiceClient(channel);
        _audit = new V1.AuditService.AuditServiceClient(channel);
        _performance = new V1.PerformanceService.PerformanceServiceClient(channel);
    }

    public ForecastingClientOptions Options => _options;

    /// <summary>The channel options the client uses: large messages, and the reads retried on UNAVAILABLE.</summary>
    public static GrpcChannelOptions ChannelOptions(ForecastingClientOptions options, HttpMessageHandler? handler = null)
    {
        var channelOptions = new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024, HttpHandler = handler };
        if (options.MaxAttempts > 1)
        {
            var reads = new MethodConfig
            {
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = options.MaxAttempts,
                    InitialBackoff = options.InitialBackoff,
                    MaxBackoff = options.InitialBackoff * Math.Pow(2, options.MaxAttempts - 2),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            };
            foreach (var method in RetriedMethods())
                reads.Names.Add(new MethodName { Service = method.Service.FullName, Method = method.Name });
            channelOptions.ServiceConfig = new ServiceConfig { MethodConfigs = { reads } };
            channelOptions.MaxRetryAttempts = options.MaxAttempts;
        }

        return channelOptions;
    }

    /// <summary>
    /// The calls the channel retries on UNAVAILABLE: those whose proto policy declares them reads (idempotent).
    /// Everything else is never retried, since a retried write could store twice.
    /// </summary>
    public static IReadOnlyList<MethodDescriptor> RetriedMethods() =>
        V1.MethodPolicies.Services.SelectMany(s => s.Methods).Where(m => V1.MethodPolicies.Declared(m) is { Read: true }).ToList();

    private static GrpcChannel CreateChannel(ForecastingClientOptions options, HttpMessageHandler? handler)
    {
        var address = options.Address;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new ArgumentException($"Server address '{address}' is not an http:// or https:// URL, e.g. http://127.0.0.1:5080.", nameof(address));
        return GrpcChannel.ForAddress(uri, ChannelOptions(options, handler));
    }

    public void Dispose()
    {
        if (_ownsChannel) _channel.Dispose();
    }

    // ---------- plumbing ----------

    /// <summary>At most one way to sign in, and a token that fits in a header.</summary>
    private static void CheckCredentials(ForecastingClientOptions options)
    {
        var given = new[]
        {
            (Name: nameof(options.ApiKey), Set: !string.IsNullOrEmpty(options.ApiKey)),
            (Name: nameof(options.BearerToken), Set: !string.IsNullOrEmpty(options.BearerToken)),
            (Name: nameof(options.BearerTokenProvider), Set: options.BearerTokenProvider is not null),
        }.Where(c => c.Set).Select(c => c.Name).ToList();
        if (given.Count > 1)
            throw new ArgumentException($"Give one way to sign in, not {string.Join(" and ", given)}: an API key or a directory token.", nameof(options));
        if (options.BearerToken is { Length: > 0 } token && TokenFault(token, nameof(options.BearerToken)) is { } fault)
            throw new ArgumentException(fault, nameof(options));
    }

    /// <summary>Why a token cannot go in the authorization header, or null. The token itself is never quoted.</summary>
    private static string? TokenFault(string token, string source) =>
        token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? $"{source} must be the token alone; the client adds 'Bearer '."
        : token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? $"{source} holds a space or a control character, so it is not an access token."
        : null;

    private async ValueTask<CallOptions> CallAsync(bool longRunning, CancellationToken ct)
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(_options.ApiKey)) headers.Add(ApiKeyHeader, _options.ApiKey);
        if (!string.IsNullOrEmpty(_options.BearerToken)) headers.Add(AuthorizationHeader, "Bearer " + _options.BearerToken);
        if (_options.BearerTokenProvider is { } provider)
        {
            var token = await provider(ct).ConfigureAwait(false);
            if (string.IsNullOrEmpty(token)) throw new InvalidOperationException("The BearerTokenProvider returned no token.");
            if (TokenFault(token, "The BearerTokenProvider's token") is { } fault) throw new InvalidOperationException(fault);
            headers.Add(AuthorizationHeader, "Bearer " + token);
        }

        return new CallOptions(headers, DateTime.UtcNow + (longRunning ? _options.LongDeadline : _options.DefaultDeadline), ct);
    }

    /// <summary>The failing operation's name: the calling method's without "Async", e.g. GetFlowSeries.</summary>
    private static string Operation(string caller) => caller.EndsWith("Async", StringComparison.Ordinal) ? caller[..^5] : caller;

    /// <summary>One unary call; <paramref name="longRunning"/> calls get the long deadline.</summary>
    private async Task<T> UnaryAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken ct, bool longRunning = false,
        [CallerMemberName] string caller = "")
    {
        try
        {
            return await call(await CallAsync(longRunning, ct).ConfigureAwait(false)).ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw ForecastingClientException.From(e, Operation(caller));
        }
    }

    /// <summary>A server stream (progress) with the long deadline.</summary>
    private async IAsyncEnumerable<T> StreamAsync<T>(Func<CallOptions, AsyncServerStreamingCall<T>> start,
        [EnumeratorCancellation] CancellationToken ct, [CallerMemberName] string caller = "")
    {
        var operation = Operation(caller);
        var options = await CallAsync(true, ct).ConfigureAwait(false);
        AsyncServerStreamingCall<T> call;
        try
        {
            call = start(options);
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
                yield return call.ResponseStream.Current;
            }
        }
    }

    // ---------- data ----------

    public Task<V1.StoreStatus> GetStatusAsync(CancellationToken ct = default) =>
        UnaryAsync(o => _data.GetStatusAsync(new V1.StatusRequest(), o), ct);

    public Task<V1.ListSnapshotsResponse> ListSnapshotsAsync(CancellationToken ct = default) =>
        UnaryAsync(o => _data.ListSnapshotsAsync(new V1.ListSnapshotsRequest(), o), ct);

    /// <summary>
    /// Imports files that already sit on the server: a whole directory and/or named files (see <see cref="Proto.ImportFile"/>).
    /// An import removing more than half of a council's rows in a table fails unless AllowShrink is set; AsOfDate states the
    /// date the data run to (empty = the current snapshot's, today for an empty store).
    /// </summary>
    public Task<V1.ImportReport> ImportAsync(V1.ImportRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _data.ImportAsync(request, o), ct, longRunning: true);

    /// <summary>
    /// Streams local files to the server in chunks of <see cref="ForecastingClientOptions.UploadChunkSize"/> bytes; they are
    /// validated and imported together. An import removing more than half of a council's rows in a table fails unless
    /// <paramref name="allowShrink"/>. <paramref name="asOfDate"/> (yyyy-mm-dd, at most today; null = today) is the date the data
    /// run to: rows dated after it are refused, planned dates excepted, and every answer's default period ends at it.
    /// </summary>
    public async Task<V1.ImportReport> UploadAsync(IEnumerable<LocalFile> files, bool dryRun = false, bool allowShrink = false,
        string? asOfDate = null, CancellationToken ct = default)
    {
        var list = files.ToList();
        if (list.Count == 0) throw new ArgumentException("Give at least one file to upload.", nameof(files));
        foreach (var f in list)
            if (!File.Exists(f.Path)) throw new FileNotFoundException($"File to upload not found: {f.Path}", f.Path);

        using var call = _data.Upload(await CallAsync(true, ct).ConfigureAwait(false));
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
                        Format = Proto.FormatOf(f.Path),
                        DryRun = dryRun,
                        AllowShrink = allowShrink,
                        AsOfDate = asOfDate ?? "",
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
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw ForecastingClientException.From(e, Operation(nameof(UploadAsync)));
        }
    }

    public Task<V1.ImportReport> GetValidationReportAsync(V1.ValidationReportRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _data.GetValidationReportAsync(request, o), ct);

    // ---------- analytics ----------

    public Task<V1.MetricCatalog> ListMetricsAsync(CancellationToken ct = default) =>
        UnaryAsync(o => _analytics.ListMetricsAsync(new V1.ListMetricsRequest(), o), ct);

    public Task<V1.FlowSeriesResponse> GetFlowSeriesAsync(V1.FlowSeriesRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _analytics.GetFlowSeriesAsync(request, o), ct);

    public Task<V1.RateResponse> GetRatesAsync(V1.RateRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _analytics.GetRatesAsync(request, o), ct);

    public Task<V1.TableResponse> GetStockSnapshotAsync(V1.StockRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _analytics.GetStockSnapshotAsync(request, o), ct);

    public Task<V1.TableResponse> GetTransitionsCohortAsync(V1.TransitionsRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _analytics.GetTransitionsCohortAsync(request, o), ct);

    public Task<V1.TableResponse> GetPipelineAsync(V1.PipelineRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _analytics.GetPipelineAsync(request, o), ct);

    // ---------- forecasts ----------

    public Task<V1.ListModelsResponse> ListModelsAsync(CancellationToken ct = default) =>
        UnaryAsync(o => _forecast.ListModelsAsync(new V1.ListModelsRequest(), o), ct);

    /// <summary>Forecasts one selector; the run is stored on the server, so this call is not retried.</summary>
    public Task<V1.ForecastRun> ForecastAsync(V1.ForecastRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _forecast.ForecastAsync(request, o), ct, longRunning: true);

    /// <summary>Recomputes every standard series; the last update carries the run id.</summary>
    public IAsyncEnumerable<V1.RefreshProgress> RefreshAsync(V1.RefreshRequest request, CancellationToken ct = default) =>
        StreamAsync(o => _forecast.Refresh(request, o), ct);

    public Task<V1.ListRunsResponse> ListRunsAsync(V1.ListRunsRequest? request = null, CancellationToken ct = default) =>
        UnaryAsync(o => _forecast.ListRunsAsync(request ?? new V1.ListRunsRequest(), o), ct);

    public Task<V1.ForecastRun> GetRunAsync(V1.GetRunRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _forecast.GetRunAsync(request, o), ct);

    public Task<V1.YearEndResponse> EstimateYearEndAsync(V1.YearEndRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _forecast.EstimateYearEndAsync(request, o), ct);

    // ---------- audit ----------

    /// <summary>The audit trail of writes, newest first (analyst). Filters are optional; at most 1,000 events.</summary>
    public Task<V1.ListAuditEventsResponse> ListAuditEventsAsync(V1.ListAuditEventsRequest? request = null, CancellationToken ct = default) =>
        UnaryAsync(o => _audit.ListAuditEventsAsync(request ?? new V1.ListAuditEventsRequest(), o), ct);

    // ---------- planning ----------

    public Task<V1.ListStrategiesResponse> ListStrategiesAsync(V1.ListStrategiesRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.ListStrategiesAsync(request, o), ct);

    public Task<V1.Strategy> GetStrategyAsync(V1.GetStrategyRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.GetStrategyAsync(request, o), ct);

    /// <summary>Re-bases a strategy's targets as a new version; earlier versions stay readable.</summary>
    public Task<V1.Strategy> CreateStrategyVersionAsync(V1.CreateStrategyVersionRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.CreateStrategyVersionAsync(request, o), ct);

    public Task<V1.Scenario> CreateScenarioAsync(V1.CreateScenarioRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.CreateScenarioAsync(request, o), ct);

    /// <summary>Stores a new revision of the scenario.</summary>
    public Task<V1.Scenario> UpdateScenarioAsync(V1.UpdateScenarioRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.UpdateScenarioAsync(request, o), ct);

    public Task<V1.ListScenariosResponse> ListScenariosAsync(V1.ListScenariosRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.ListScenariosAsync(request, o), ct);

    public Task<V1.Scenario> GetScenarioAsync(V1.GetScenarioRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.GetScenarioAsync(request, o), ct);

    public Task<V1.DeleteScenarioResponse> DeleteScenarioAsync(V1.DeleteScenarioRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.DeleteScenarioAsync(request, o), ct);

    /// <summary>Runs a scenario (or the baseline when ScenarioId is empty); the last update carries the result.</summary>
    public IAsyncEnumerable<V1.RunScenarioProgress> RunScenarioAsync(V1.RunScenarioRequest request, CancellationToken ct = default) =>
        StreamAsync(o => _planning.RunScenario(request, o), ct);

    /// <summary>Runs a scenario to the end and returns its result, reporting progress on the way.</summary>
    public async Task<V1.ScenarioResult> RunScenarioToEndAsync(V1.RunScenarioRequest request, IProgress<V1.RunScenarioProgress>? progress = null,
        CancellationToken ct = default)
    {
        V1.ScenarioResult? result = null;
        await foreach (var update in RunScenarioAsync(request, ct).ConfigureAwait(false))
        {
            progress?.Report(update);
            if (update.Result is not null) result = update.Result;
        }

        return result ?? throw new ForecastingClientException(StatusCode.Internal, "the progress stream ended without a result", "RunScenario");
    }

    public Task<V1.ScenarioResult> GetScenarioResultAsync(V1.GetScenarioResultRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.GetScenarioResultAsync(request, o), ct);

    public Task<V1.ListScenarioResultsResponse> ListScenarioResultsAsync(V1.ListScenarioResultsRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.ListScenarioResultsAsync(request, o), ct);

    /// <summary>Runs each scenario at its latest revision and compares them with the baseline.</summary>
    public Task<V1.ScenarioComparison> CompareScenariosAsync(V1.CompareScenariosRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.CompareScenariosAsync(request, o), ct, longRunning: true);

    /// <summary>Publishes a stored result as the council's figures under a label (strategy lead or analyst); never retried.</summary>
    public Task<V1.Publication> PublishResultAsync(V1.PublishResultRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.PublishResultAsync(request, o), ct);

    /// <summary>The council's publications, newest first: the published baseline is what the pages and the report show.</summary>
    public Task<V1.ListPublicationsResponse> ListPublicationsAsync(V1.ListPublicationsRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.ListPublicationsAsync(request, o), ct);

    /// <summary>
    /// Backtest of the planning model: the baseline as of each origin (default every quarter end the data supports, to
    /// one year before the end), on the data known then, against the people housed, the waiting list and the lettings
    /// the data shows, beside the naive and seasonal-naive forecasts; with the pipeline backtest.
    /// </summary>
    public Task<V1.PlanningBacktest> BacktestPlanningAsync(V1.BacktestPlanningRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.BacktestPlanningAsync(request, o), ct);

    /// <summary>
    /// The prevalence cross-check of a stored result (result_id) or of the council's baseline run now: prevalence x
    /// population per client group and extra-care units per 1,000 people aged 75+, beside the flow model's demand.
    /// </summary>
    public Task<V1.PrevalenceCheck> GetPrevalenceCheckAsync(V1.GetPrevalenceCheckRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _planning.GetPrevalenceCheckAsync(request, o), ct, longRunning: true);

    // ---------- performance ----------

    /// <summary>The measure catalogue: definition, numerator, denominator, unit, polarity, effective date and dimensions.</summary>
    public Task<V1.ListMeasuresResponse> ListMeasuresAsync(CancellationToken ct = default) =>
        UnaryAsync(o => _performance.ListMeasuresAsync(new V1.ListMeasuresRequest(), o), ct);

    /// <summary>A measure per month, quarter or financial year with numerator, denominator and year-to-date values.</summary>
    public Task<V1.MeasureSeriesResponse> GetMeasureSeriesAsync(V1.MeasureSeriesRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _performance.GetMeasureSeriesAsync(request, o), ct);

    /// <summary>
    /// One financial year of measures for a council: year to date, estimated end of year with its range, the current
    /// target and RAG status, the probability of meeting the target and the benchmark position (the scorecard).
    /// </summary>
    public Task<V1.PerformanceReport> GetPerformanceAsync(V1.PerformanceRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _performance.GetPerformanceAsync(request, o), ct);

    /// <summary>Adds a version of a measure's target for a financial year (strategy_lead); a write, so never retried.</summary>
    public Task<V1.MeasureTarget> SetTargetAsync(V1.SetTargetRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _performance.SetTargetAsync(request, o), ct);

    /// <summary>Every version of a council's measure targets, newest first per measure and year.</summary>
    public Task<V1.ListTargetsResponse> ListTargetsAsync(V1.ListTargetsRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _performance.ListTargetsAsync(request, o), ct);

    /// <summary>Budget, outturn and variance by service line and financial year, beside the spend the services data accounts for.</summary>
    public Task<V1.TableResponse> GetBudgetOutturnAsync(V1.BudgetOutturnRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _performance.GetBudgetOutturnAsync(request, o), ct);

    /// <summary>One financial year of the national measures (ASCOF 2A-2E, 3D, SALT tables, waiting times) from the council's CLD.</summary>
    public Task<V1.NationalMeasuresReport> GetNationalMeasuresAsync(V1.NationalMeasuresRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _performance.GetNationalMeasuresAsync(request, o), ct);

    /// <summary>The data-quality report of the council's imported CLD.</summary>
    public Task<V1.TableResponse> GetCldQualityAsync(V1.CldQualityRequest request, CancellationToken ct = default) =>
        UnaryAsync(o => _performance.GetCldQualityAsync(request, o), ct);
}
