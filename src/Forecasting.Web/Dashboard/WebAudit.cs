using System.Diagnostics;
using Forecasting.Application.Audit;
using Forecasting.Store.Audit;
using Forecasting.Web.Security;

namespace Forecasting.Web.Dashboard;

/// <summary>
/// Writes made from the pages go into the same audit trail as the API's, under the name of the API method that makes
/// the same write, with the key's name and role, the council, what was written and the outcome. Whether a call is
/// recorded is the RPC's declared audit level (<see cref="IAuditedMethods"/>), as for the API.
/// </summary>
public sealed class WebAudit(IAuditTrail audit, IAuditedMethods audited, ILogger<WebAudit> logger)
{
    public const string CreateScenario = "forecasting.v1.PlanningService/CreateScenario";
    public const string UpdateScenario = "forecasting.v1.PlanningService/UpdateScenario";
    public const string RunScenario = "forecasting.v1.PlanningService/RunScenario";
    public const string PublishResult = "forecasting.v1.PlanningService/PublishResult";
    public const string Forecast = "forecasting.v1.ForecastService/Forecast";
    public const string Upload = "forecasting.v1.DataService/Upload";
    public const string Refresh = "forecasting.v1.ForecastService/Refresh";

    /// <summary>What a write touched, written as the API's audit writes it ("import_id=... snapshot_id=..."), empty values left out.</summary>
    public static string? Targets(params (string Field, string? Value)[] targets)
    {
        var text = string.Join(" ", targets.Where(t => !string.IsNullOrEmpty(t.Value)).Select(t => $"{t.Field}={t.Value}"));
        return text.Length == 0 ? null : text;
    }

    /// <summary>The API methods whose use cases the pages run; each names an RPC of the contract.</summary>
    public static IReadOnlyList<string> Methods { get; } = [CreateScenario, UpdateScenario, RunScenario, PublishResult, Forecast, Upload, Refresh];

    public async Task<T> Write<T>(WebUser user, string method, string? council, Func<Task<T>> write, Func<T, string?> target)
    {
        if (!audited.EveryCall(method)) return await write();
        var watch = Stopwatch.StartNew();
        try
        {
            var result = await write();
            Record(user, method, council, target(result), "OK", null, watch.Elapsed.TotalSeconds);
            return result;
        }
        catch (Exception e)
        {
            var outcome = e switch
            {
                Forecasting.Domain.InvalidArgumentException => "InvalidArgument",
                KeyNotFoundException => "NotFound",
                OperationCanceledException => "Cancelled",
                _ => "Internal",
            };
            Record(user, method, council, null, outcome, outcome == "Internal" ? null : e.Message, watch.Elapsed.TotalSeconds);
            throw;
        }
    }

    private void Record(WebUser user, string method, string? council, string? target, string outcome, string? detail, double seconds)
    {
        var correlation = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        try
        {
            audit.Record(new AuditEntry(user.Name, WebUser.RoleName(user.Role), method, council, target, outcome,
                detail is null ? "web pages" : "web pages: " + detail, seconds, correlation));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record the audit event of {Method} from the web pages ({CorrelationId})", method, correlation);
        }
    }
}
