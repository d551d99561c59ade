using DuckDB.NET.Data;
using Forecasting.Server.Security;
using Forecasting.Store;
using Microsoft.Extensions.Options;

namespace Forecasting.Server.Infrastructure;

/// <summary>
/// What the server checks before it serves: that it reads its own settings wherever it is started from, that
/// they are valid, that some key can use it, and that it has the database to itself. Each refusal is one line saying what to do.
/// </summary>
public static class StartupChecks
{
    /// <summary>The content root is the application's folder (where appsettings.json is), not the working directory.</summary>
    public static WebApplicationOptions Options(string[] args)
    {
        var contentRootGiven = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
                               || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is not null
                               || Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is not null;
        return new WebApplicationOptions { Args = args, ContentRootPath = contentRootGiven ? null : AppContext.BaseDirectory };
    }

    /// <summary>Null when the server may start; otherwise the one line to print before exiting.</summary>
    public static string? Refusal(WebApplication app)
    {
        // The settings validated on start (Auth:Directory), checked here so that a fault is one message, not a stack.
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            return "The server cannot start with these settings:" + string.Concat(ex.Failures.Select(f => Environment.NewLine + "  " + f));
        }

        var keys = app.Services.GetRequiredService<ApiKeyRegistry>();
        if (keys.Count == 0 && !app.Services.GetRequiredService<DirectorySignIn>().Options.Enabled)
            return "No API keys are configured (Auth:Keys), nor a directory (Auth:Directory), so every call would be refused. Add one: run " +
                   "'Forecasting.Server hash-key <a-long-random-key>' and put the hash under Auth:Keys with a Name and a Role " +
                   $"in {Path.Combine(app.Environment.ContentRootPath, "appsettings.json")} or as --Auth:Keys:0:Name=... arguments.";
        try
        {
            var store = app.Services.GetRequiredService<ForecastingStore>();
            app.Logger.LogInformation("Store {Path} (schema version {Version})", store.DatabasePath, store.SchemaVersion);
        }
        catch (DuckDBException ex) when (ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            // The full path: a relative Store:Path is resolved against the directory the server was started from.
            var path = Path.GetFullPath(app.Configuration["Store:Path"] ?? new StoreOptions().Path);
            return $"The database {path} is in use by another process (DuckDB allows one server per file): stop it or set --Store:Path to another file.";
        }
        catch (DuckDBException ex)
        {
            return $"The database {app.Configuration["Store:Path"]} cannot be opened: {ex.Message.Split('\n')[0]}";
        }
        var paths = app.Services.GetRequiredService<ImportPathPolicy>();
        app.Logger.LogInformation("Server-side imports read from: {Directories}",
            paths.Roots.Count == 0 ? "(none configured: Import:Directories)" : string.Join(", ", paths.Roots));
        return null;
    }
}
