using Forecasting.Application.Planning;
using Forecasting.Planning;
using Forecasting.Web.Dashboard;
using Forecasting.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Forecasting.Web.Pages.Scenarios;

/// <summary>Create or edit a scenario (strategy lead and analyst, as CreateScenario and UpdateScenario); validated by the planning model.</summary>
[Authorize(Policy = WebPolicies.StrategyLead)]
public sealed class EditModel(DashboardService dashboard, PlanningUseCases planning, WebAudit audit) : WebPageModel
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string? ScenarioId { get; set; }

    [BindProperty]
    public LeverForm Form { get; set; } = new();

    public Scenario? Existing { get; private set; }

    /// <summary>The council's pipeline schemes, for the slipped and cancelled schemes.</summary>
    public IReadOnlyList<SchemeChoice> Schemes { get; private set; } = [];

    public IReadOnlyList<ValidationError> Errors { get; private set; } = [];

    public string? ErrorFor(string field) =>
        Errors.FirstOrDefault(e => e.Field == field || e.Field.StartsWith(field + ".", StringComparison.Ordinal))?.Reason;

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Load(async () =>
    {
        await Prepare(ct);
        if (Existing is not null) Form = LeverForm.From(Existing);
    });

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Scenario? saved = null;
        var page = await Load(async () =>
        {
            await Prepare(ct);
            var (levers, errors) = Form.ToLevers(Existing?.Levers);
            if (string.IsNullOrWhiteSpace(Form.Name)) errors.Insert(0, new ValidationError("name", "a scenario needs a name"));
            if (errors.Count > 0)
            {
                Errors = errors;
                return;
            }
            try
            {
                var council = Data!.CouncilCode;
                saved = Existing is null
                    ? await audit.Write(User2, WebAudit.CreateScenario, council,
                        () => planning.CreateScenario(council, Form.Name!.Trim(), levers, User2.Name, Empty(Form.Description), ct), s => WebAudit.Targets(("scenario_id", s.ScenarioId)))
                    : await audit.Write(User2, WebAudit.UpdateScenario, council,
                        () => planning.UpdateScenario(Existing.ScenarioId, levers, User2.Name, Form.Name!.Trim(), Empty(Form.Description), User2.CanSee, ct),
                        s => WebAudit.Targets(("scenario_id", s.ScenarioId)));
            }
            catch (ScenarioValidationException e)
            {
                Errors = e.Errors;
            }
        });
        if (saved is not null) return Redirect($"/scenarios?council={Uri.EscapeDataString(saved.CouncilCode)}");
        if (Errors.Count > 0) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return page;
    }

    private async Task Prepare(CancellationToken ct)
    {
        Data = dashboard.Context(User2, Council);
        if (!string.IsNullOrEmpty(ScenarioId))
        {
            Existing = await planning.GetScenario(ScenarioId, 0, User2.CanSee, ct);
            if (Existing.CouncilCode != Data.CouncilCode) Data = dashboard.Context(User2, Existing.CouncilCode);
        }
        // Only a scheme still to come can slip or be cancelled.
        Schemes = dashboard.PipelineSchemes(User2, Data.CouncilCode, ct).Where(s => s.CanSlip).ToList();
    }

    private static string? Empty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
