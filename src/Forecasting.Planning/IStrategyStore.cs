namespace Forecasting.Planning;

/// <summary>Stored strategies: every version is kept, and a change stores the next version.</summary>
public interface IStrategyStore
{
    /// <summary>Every version of every strategy of the council, ordered by strategy id and version.</summary>
    IReadOnlyList<StrategyVersion> List(string councilCode);

    Strategy? Get(string councilCode, string strategyId);

    /// <summary>Stores version 1 of a new strategy.</summary>
    StrategyVersion Create(string councilCode, string strategyId, string name, int startFy, int endFy, string? clientGroup,
        IReadOnlyList<StrategyPhase> phases, string author, string reason, IReadOnlyList<StrategyTarget>? targets = null);

    /// <summary>Re-bases a strategy: stores the next version with its phases and targets; earlier versions are untouched.</summary>
    StrategyVersion CreateVersion(string councilCode, string strategyId, string author, string reason, IReadOnlyList<StrategyPhase> phases,
        string? name = null, int? startFy = null, int? endFy = null, IReadOnlyList<StrategyTarget>? targets = null);
}
