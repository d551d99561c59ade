namespace Forecasting.Application.Audit;

/// <summary>
/// Whether calls of an API method ("forecasting.v1.PlanningService/RunScenario") are recorded one by one in the audit
/// trail. The host answers from the policy the RPC declares in its proto, so a front end that runs the same use case
/// as an RPC (the web pages) audits exactly what the API audits.
/// </summary>
public interface IAuditedMethods
{
    /// <summary>True when every call is recorded; also true for a method the contract does not declare, so nothing is lost silently.</summary>
    bool EveryCall(string method);
}
