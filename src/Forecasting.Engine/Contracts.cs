namespace Forecasting.Engine;

/// <summary>A regularly spaced series. NaN marks a missing period.</summary>
/// <param name="Values">Observations in time order; NaN for missing.</param>
/// <param name="SeasonalPeriod">12 monthly, 4 quarterly, 1 yearly / non-seasonal.</param>
/// <param name="BreakIndex">First index measured under a new definition, if any.</param>
/// <param name="NonNegative">Counts: forecasts and interval bounds are clamped at 0.</param>
public sealed record TimeSeriesData(double[] Values, int SeasonalPeriod, int? BreakIndex = null, bool NonNegative = false);

/// <param name="Horizon">Number of steps to forecast after the last value.</param>
/// <param name="Model">"auto" or one of <see cref="ForecastOrchestrator.ModelNames"/>.</param>
/// <param name="Levels">Interval levels in percent; default {80, 95}.</param>
/// <param name="BacktestOrigins">Rolling origins used to score models and calibrate intervals (0 disables).</param>
/// <param name="Seed">Seed for the randomised parts (gradient boosting).</param>
/// <param name="ScoreAllCandidates">
/// With "auto": also fit and backtest every model "auto" could fall back to (naive, seasonal naive, drift, SSA, the
/// global GBM), so <see cref="BacktestSummary.Candidates"/> compares them all. The choice is the same either way;
/// without it "auto" fits only the combination's members (and the others only when the combination cannot be formed).
/// </param>
public sealed record ForecastOptions(int Horizon, string Model = "auto", double[]? Levels = null, int BacktestOrigins = 6, int? Seed = null, bool ScoreAllCandidates = false)
{
    public static readonly double[] DefaultLevels = { 80, 95 };
    public double[] EffectiveLevels => Levels is { Length: > 0 } ? Levels : DefaultLevels;
}

public sealed record PredictionInterval(double Level, double[] Lower, double[] Upper);

/// <summary>Backtest accuracy of one model on one series. Coverage maps level (percent) to the fraction (0-1) of actuals inside.</summary>
public sealed record ModelScore(string Model, double Mae, double Rmse, double Smape, double Mase, IReadOnlyDictionary<double, double> Coverage);

public sealed record BacktestSummary(int Origins, int Horizon, ModelScore Chosen, IReadOnlyList<ModelScore> Candidates);

public sealed record ForecastResult(
    string Model,
    IReadOnlyDictionary<string, double> Parameters,
    double[] Mean,
    IReadOnlyList<PredictionInterval> Intervals,
    BacktestSummary? Backtest,
    IReadOnlyList<string> Notes)
{
    /// <summary>
    /// The chosen model's one-step in-sample residuals on the prepared series (NaN where undefined), ending at the last
    /// observation; empty when the model has none. Reconciliation (MinT) weighs the nodes of a hierarchy by them.
    /// </summary>
    public double[] Residuals { get; init; } = Array.Empty<double>();
}
