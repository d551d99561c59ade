namespace Forecasting.Planning;

/// <summary>
/// Stored scenarios and results. Scenarios are only added to: an update adds a revision, a delete adds a revision
/// marked deleted, and every earlier revision stays readable.
/// </summary>
public interface IScenarioStore
{
    /// <summary>Stores revision 1 of a new scenario.</summary>
    Scenario Create(string councilCode, string name, ScenarioLevers levers, string author, string? description = null);

    /// <summary>Stores a new revision; name and description keep their values when null.</summary>
    Scenario Update(string scenarioId, ScenarioLevers levers, string author, string? name = null, string? description = null);

    /// <summary>Marks a scenario deleted by adding a revision; returns false when it does not exist or is already deleted.</summary>
    bool Delete(string scenarioId, string author);

    /// <summary>A revision (null or 0 = latest). The latest of a deleted scenario is returned only with includeDeleted; a numbered revision always is.</summary>
    Scenario? Get(string scenarioId, int? revision = null, bool includeDeleted = false);

    /// <summary>Every revision of a scenario, oldest first.</summary>
    IReadOnlyList<Scenario> Revisions(string scenarioId);

    /// <summary>The latest revision of each scenario of the council, in order of creation.</summary>
    IReadOnlyList<Scenario> List(string councilCode, bool includeDeleted = false);

    void SaveResult(PlanningResult result);

    PlanningResult? GetResult(string resultId);

    /// <summary>Results of a scenario (null = baseline results of the council), newest first.</summary>
    IReadOnlyList<PlanningResult> ListResults(string? scenarioId, string? councilCode = null);

    /// <summary>
    /// Removes a council's oldest stored results beyond <paramref name="keep"/>, so repeated runs cannot grow the store
    /// without bound and one council's runs never remove another's.
    /// </summary>
    void TrimResults(int keep, string councilCode);
}
