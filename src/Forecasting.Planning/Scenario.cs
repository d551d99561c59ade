namespace Forecasting.Planning;

/// <summary>One revision of a stored scenario.</summary>
public sealed record Scenario(
    string ScenarioId, string CouncilCode, string Name, string? Description, int Revision,
    ScenarioLevers Levers, string Author, DateTimeOffset CreatedAt, bool Deleted)
{
    /// <summary>Retired levers the stored revision set, dropped when it was read (named in the warnings of its runs).</summary>
    public IReadOnlyList<string> DroppedLevers { get; init; } = [];
}
