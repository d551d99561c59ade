using Forecasting.Store.Import.Cld;
using Forecasting.Application.Audit;
using Forecasting.Application.Limits;
using Forecasting.Application.Performance;
using Forecasting.Store.Performance;
using Forecasting.Store.Analytics;
using Forecasting.Application.Forecasts;
using Forecasting.Application.Planning;
using Forecasting.Planning;
using Forecasting.Server.Security;
using Forecasting.Server.Services;
using Forecasting.Store;
using Forecasting.Store.Audit;
using Forecasting.Store.Forecasts;
using Forecasting.Store.Import;
using Forecasting.Store.Planning;
using Forecasting.Store.Web;
using Forecasting.Web;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.Extensions.Options;

namespace Forecasting.Server.Infrastructure;

/// <summary>The composition root: every service the host needs, registered in one place.</summary>
public static class ApplicationServiceExtensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<StoreOptions>(builder.Configuration.GetSection(StoreOptions.SectionName));
        services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));
        services.Configure<LimitsOptions>(builder.Configuration.GetSection(LimitsOptions.SectionName));
        services.Configure<ImportOptions>(builder.Configuration.GetSection(ImportOptions.SectionName));
        var limits = builder.Configuration.GetSection(LimitsOptions.SectionName).Get<LimitsOptions>() ?? new LimitsOptions();
        Listening.Configure(builder);
        // A stop (SIGTERM) cancels calls in flight, which interrupts their queries and model fits.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        services.AddSingleton(sp => new ForecastingStore(sp.GetRequiredService<IOptions<StoreOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<DataImporter>();
            return new DataImporter(sp.GetRequiredService<ForecastingStore>(), message => logger.LogWarning("{Detail}", message));
        });
        services.AddSingleton(sp => new AnalyticsQueries(sp.GetRequiredService<ForecastingStore>()));
        services.AddSingleton<IStoreStatus>(sp => new StoreStatusReader(sp.GetRequiredService<ForecastingStore>()));
        services.AddSingleton<IForecastRunStore>(sp => new ForecastRunStore(sp.GetRequiredService<ForecastingStore>(),
            sp.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxStoredForecastRuns));
        services.AddSingleton<IAuditTrail>(sp => new AuditTrail(sp.GetRequiredService<ForecastingStore>(),
            TimeSpan.FromDays(sp.GetRequiredService<IOptions<LimitsOptions>>().Value.AuditRetentionDays)));
        services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<RefusalTally>();
            return new RefusalTally(sp.GetRequiredService<IAuditTrail>(),
                TimeSpan.FromSeconds(Math.Max(0.1, sp.GetRequiredService<IOptions<LimitsOptions>>().Value.AuditSummaryFlushSeconds)),
                onFlushError: ex => logger.LogError(ex, "Could not write the counted refusals to the audit trail; they are kept for the next flush"));
        });
        // One admission and one authentication throttle for the API and the pages alike.
        services.AddSingleton<IAuditedMethods, ProtoAuditedMethods>();
        services.AddSingleton(sp => new KeyAdmission(sp.GetRequiredService<IOptions<LimitsOptions>>().Value.Bounds()));
        services.AddSingleton(sp => new AuthenticationThrottle(sp.GetRequiredService<IOptions<LimitsOptions>>().Value.AuthThrottle(),
            sp.GetRequiredService<RefusalTally>()));
        services.AddSingleton<IStrategyPeriods>(sp => new StrategyPeriods(sp.GetRequiredService<ForecastingStore>()));
        services.AddSingleton<ForecastRunArchive>();
        services.AddSingleton<SnapshotTracker>();
        services.AddSingleton<SnapshotDates>();
        services.AddSingleton(sp => new ReadCache(sp.GetRequiredService<IOptions<LimitsOptions>>(), sp.GetRequiredService<SnapshotTracker>().Current));
        services.AddSingleton<IFlowProjector>(_ => new NeedRateProjector());
        services.AddSingleton<PlanningSession>();
        services.AddSingleton(sp =>
        {
            var value = sp.GetRequiredService<IOptions<LimitsOptions>>().Value;
            return new PlanningLimits(value.MaxCompareScenarios, value.MaxCompareDraws, value.MaxStoredScenarioResults);
        });
        services.AddSingleton<PlanningUseCases>();
        services.AddSingleton<PrevalenceUseCases>();
        services.AddSingleton(_ => new Forecasting.Engine.ForecastOrchestrator());
        services.AddSingleton<SeriesForecaster>();
        services.AddSingleton<ForecastUseCases>();
        services.AddSingleton(sp => new TargetRepository(sp.GetRequiredService<ForecastingStore>()));
        services.AddSingleton(sp => new BenchmarkRepository(sp.GetRequiredService<ForecastingStore>()));
        services.AddSingleton(sp => new BudgetQueries(sp.GetRequiredService<ForecastingStore>()));
        services.AddSingleton<MeasureYearEnd>();
        services.AddSingleton<PerformanceUseCases>();
        services.AddSingleton(sp => new CldStore(sp.GetRequiredService<ForecastingStore>()));
        services.AddSingleton(sp => new AscofPopulation(sp.GetRequiredService<ForecastingStore>()));
        services.AddSingleton<NationalMeasuresUseCases>();
        services.AddSingleton(sp => ImportPathPolicy.FromOptions(sp.GetRequiredService<IOptions<ImportOptions>>().Value));
        services.AddSingleton(sp => new ApiKeyRegistry(sp.GetRequiredService<IOptions<AuthOptions>>().Value));
        var directory = builder.Configuration.GetSection(DirectoryOptions.SectionName).Get<DirectoryOptions>() ?? new DirectoryOptions();
        DirectorySignIn.AddBearer(services, builder.Configuration, directory);
        DirectoryWebSignIn.Add(services, directory);
        builder.AddObservability();
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<ErrorMappingInterceptor>();
        services.AddSingleton<ApiKeyInterceptor>();
        services.AddSingleton<CallLimitsInterceptor>();
        services.AddSingleton<WriteTrackingInterceptor>();

        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = limits.MaxReceiveMessageBytes;
            options.MaxSendMessageSize = limits.MaxSendMessageBytes;
            // Outermost first: the span and duration of a call, and the audit, see the mapped status; limits run once the caller is known; writes are
            // marked for the read cache's snapshot tracking only while they run.
            options.Interceptors.Add<TelemetryInterceptor>();
            options.Interceptors.Add<AuditInterceptor>();
            options.Interceptors.Add<ErrorMappingInterceptor>();
            options.Interceptors.Add<ApiKeyInterceptor>();
            options.Interceptors.Add<CallLimitsInterceptor>();
            options.Interceptors.Add<WriteTrackingInterceptor>();
        }).AddJsonTranscoding();
        RestApi.AddOpenApiDocument(services);
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [HealthEndpoints.ReadyTag]);
        services.AddSingleton<IWebSessionStore>(sp => new WebSessionStore(sp.GetRequiredService<ForecastingStore>()));
        builder.Services.AddForecastingWeb(sp =>
        {
            var keys = sp.GetRequiredService<ApiKeyRegistry>();
            return new DelegateKeyVerifier(key => WebUserOf(keys.Find(key)), keyId => WebUserOf(keys.FindById(keyId)));
        }, sp =>
        {
            var value = sp.GetRequiredService<IOptions<LimitsOptions>>().Value;
            return new WebUploadLimits(value.MaxUploadBytes, value.UploadDirectory);
        }, WebSessionSettingsOf(builder.Configuration));
        return builder;
    }

    private static WebUser? WebUserOf(Caller? caller) => caller is null ? null
        : new WebUser(caller.Name, WebUser.ParseRole(ApiKeyHasher.RoleName(caller.Role)), caller.Councils, caller.KeyId);

    /// <summary>
    /// The pages' sessions: the key ring is <c>Web:KeyRingDirectory</c>, by default <c>&lt;database&gt;.keys</c> beside the
    /// database file, and is named after the database's full path, so only this store's server accepts its cookies;
    /// <c>Web:SessionIdleTimeout</c> (8 h) and <c>Web:SessionMaxAge</c> (12 h) bound a session.
    /// </summary>
    private static WebSessionSettings WebSessionSettingsOf(IConfiguration configuration)
    {
        var database = Path.GetFullPath(configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>()?.Path ?? new StoreOptions().Path);
        var web = configuration.GetSection("Web");
        var keyRing = web["KeyRingDirectory"] is { Length: > 0 } configured ? Path.GetFullPath(configured) : database + ".keys";
        return new WebSessionSettings(keyRing, "Forecasting.Web:" + database,
            web.GetValue("SessionIdleTimeout", WebSessionSettings.DefaultIdleTimeout),
            web.GetValue("SessionMaxAge", WebSessionSettings.DefaultMaxAge));
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        CleanUploadLeftovers(app);
        SeedIfEmpty(app);
        UndeclaredEndpointGuard.Use(app);
        RestQueryGuard.Use(app);
        JsonUndefinedNumbers.Use(app);
        app.MapGrpcService<DataGrpcService>();
        app.MapGrpcService<AnalyticsGrpcService>();
        app.MapGrpcService<PlanningGrpcService>();
        app.MapGrpcService<ForecastGrpcService>();
        app.MapGrpcService<AuditGrpcService>();
        app.MapGrpcService<PerformanceGrpcService>();
        app.MapGrpcHealthChecksService();
        HealthEndpoints.Map(app);
        DirectoryWebSignIn.Map(app);
        app.MapGrpcReflectionService();
        RestApi.MapOpenApiDocument(app);
        app.MapForecastingWeb();
        return app;
    }

    /// <summary>Uploads interrupted by a kill leave their files; remove those no running upload holds.</summary>
    private static void CleanUploadLeftovers(WebApplication app)
    {
        var root = app.Services.GetRequiredService<IOptions<LimitsOptions>>().Value.UploadDirectory ?? UploadStaging.DefaultRoot;
        var removed = UploadStaging.CleanLeftovers(root);
        if (removed > 0) app.Logger.LogInformation("Removed {Count} upload directories left by an interrupted upload under {Root}", removed, root);
    }

    /// <summary>A new store is loaded from the seed directory so the server answers from its first call.</summary>
    private static void SeedIfEmpty(WebApplication app)
    {
        var store = app.Services.GetRequiredService<ForecastingStore>();
        if (store.Recovery is { } recovery) app.Logger.LogWarning("{Recovery}", recovery.Message);
        var options = app.Services.GetRequiredService<IOptions<StoreOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.SeedDirectory) || store.CurrentSnapshot() is not null) return;
        var directory = ServerPaths.FindDirectory(options.SeedDirectory);
        if (directory is null)
        {
            app.Logger.LogWarning("Seed directory {Directory} not found; the store starts empty", options.SeedDirectory);
            return;
        }
        var report = app.Services.GetRequiredService<DataImporter>().ImportDirectory(directory, source: $"seed: {Path.GetFileName(directory.TrimEnd('/'))}",
            asOf: DataImporter.ParseAsOf(options.SeedAsOfDate, "Store:SeedAsOfDate"));
        if (!report.Succeeded)
            throw new InvalidOperationException(
                $"seeding from {directory} failed with {report.ErrorCount} errors; first: {report.Issues.FirstOrDefault()}");
        app.Logger.LogInformation("Seeded the store from {Directory}: snapshot {Snapshot}", directory, report.SnapshotId);
    }
}
