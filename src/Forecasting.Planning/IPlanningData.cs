namespace Forecasting.Planning;

/// <summary>The council's recorded data a planning run starts from.</summary>
public interface IPlanningData
{
    /// <summary>
    /// The default as-of date: the last day of the last complete month of the latest dated event in the
    /// council's tenancies, unit statuses, waiting list, admissions and contacts.
    /// </summary>
    DateOnly DefaultAsOf(string councilCode);

    /// <summary>
    /// The council's baseline as of a date (null = <see cref="DefaultAsOf"/>), including the median weekly cost of the
    /// services open on that date per setting planning prices (<see cref="PlanningBaseline.WeeklyCosts"/>).
    /// </summary>
    PlanningBaseline Load(string councilCode, DateOnly? asOf = null);
}
