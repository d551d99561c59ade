using Forecasting.Analytics;
using Forecasting.Planning;
using Forecasting.Server.Security;
using Forecasting.Server.Services;
using Forecasting.Store;
using Forecasting.Store.Import;
using Microsoft.Extensions.Options;

namespace Forecasting.Server.Infrastructure;

public sealed class LimitsOptions
{
    public const string SectionName = "Limits";
    public int MaxReceiveMessageBytes { get; set; } = 16 * 1024 * 1024;
    public int MaxSendMessageBytes { get; set; } = 64 * 1024 * 1024;
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}

/// <summary>The composition root: every service the host needs, registered in one place.</summary>
public static class ApplicationServiceExtensions
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<StoreOptions>(builder.Configuration.GetSection(StoreOptions.SectionName));
        services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));
        services.Configure<LimitsOptions>(builder.Configuration.GetSection(LimitsOptions.SectionName));
        var limits = builder.Configuration.GetSection(LimitsOptions.SectionName).Get<LimitsOptions>() ?? new LimitsOptions();

        services.AddSingleton(sp => new ForecastingStore(sp.GetRequiredService<IOptions<StoreOptions>>().Value));
        services.AddSingleton<DataImporter>();
        services.AddSingleton(sp => new AnalyticsQueries(sp.GetRequiredService<ForecastingStore>()));
        services.AddSingleton<StoreStatusReader>();
        services.AddSingleton<IFlowProjector>(_ => new EngineFlowProjector());
        services.AddSingleton<PlanningSession>();
        services.AddSingleton(_ => new Forecasting.Engine.ForecastOrchestrator());
        services.AddSingleton<SeriesForecaster>();
        services.AddSingleton<ForecastRunRepository>();
        services.AddSingleton(sp => new ApiKeyRegistry(sp.GetRequiredService<IOptions<AuthOptions>>().Value));
        services.AddSingleton<ApiKeyInterceptor>();
        services.AddSingleton<ErrorMappingInterceptor>();

        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = limits.MaxReceiveMessageBytes;
            options.MaxSendMessageSize = limits.MaxSendMessageBytes;
            options.Interceptors.Add<ApiKeyInterceptor>();
            options.Interceptors.Add<ErrorMappingInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks().AddCheck("store", () =>
            Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
        return builder;
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        SeedIfEmpty(app);
        app.MapGrpcService<DataGrpcService>();
        app.MapGrpcService<AnalyticsGrpcService>();
        app.MapGrpcService<PlanningGrpcService>();
        app.MapGrpcService<ForecastGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>A new store is loaded from the seed directory so the server answers from its first call.</summary>
    private static void SeedIfEmpty(WebApplication app)
    {
        var store = app.Services.GetRequiredService<ForecastingStore>();
        if (store.Recovery is { } recovery) app.Logger.LogWarning("{Recovery}", recovery.Message);
        var options = app.Services.GetRequiredService<IOptions<StoreOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.SeedDirectory) || store.CurrentSnapshot() is not null) return;
        var directory = ResolveSeedDirectory(options.SeedDirectory);
        if (directory is null)
        {
            app.Logger.LogWarning("Seed directory {Directory} not found; the store starts empty", options.SeedDirectory);
            return;
        }
        var report = app.Services.GetRequiredService<DataImporter>().ImportDirectory(directory, source: $"seed: {directory}");
        if (!report.Succeeded)
            throw new InvalidOperationException(
                $"seeding from {directory} failed with {report.ErrorCount} errors; first: {report.Issues.FirstOrDefault()}");
        app.Logger.LogInformation("Seeded the store from {Directory}: snapshot {Snapshot}", directory, report.SnapshotId);
    }

    /// <summary>Relative seed paths are tried from the working directory and then from each parent, so the repository's samples are found from any project folder.</summary>
    private static string? ResolveSeedDirectory(string path)
    {
        if (Path.IsPathRooted(path)) return Directory.Exists(path) ? path : null;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, path);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
