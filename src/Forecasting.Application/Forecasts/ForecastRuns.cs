using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecasting.Application.Forecasts;

/// <summary>
/// A forecast run as the application makes and stores it: every series with its model, parameters, history,
/// projections with intervals, backtest accuracy and notes, the data snapshot, who asked and how long it took.
/// </summary>
public sealed record ForecastRunResult(string RunId, string Kind, DateTime CreatedAt, string SnapshotId, string RequestedBy, double Seconds,
    IReadOnlyList<SeriesProjection> Series);

/// <param name="Key">What identifies the series: its breakdown values and filters (e.g. age_group = 65+).</param>
public sealed record SeriesProjection(
    IReadOnlyDictionary<string, string> Key,
    string Metric,
    string Model,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyList<HistoryPoint> History,
    IReadOnlyList<ProjectedPoint> Points,
    BacktestScores? Backtest,
    IReadOnlyList<string> Notes);

public sealed record HistoryPoint(string PeriodLabel, string PeriodStart, double Value, double YearToDate);

public sealed record ProjectedPoint(string PeriodLabel, string PeriodStart, double Mean, IReadOnlyList<ForecastInterval> Intervals);

public sealed record ForecastInterval(double Level, double Lower, double Upper);

public sealed record BacktestScores(int Origins, int Horizon, ModelScores? Chosen, IReadOnlyList<ModelScores> Candidates);

/// <param name="Coverage">Share of actuals inside the interval, by level ("80", "95").</param>
public sealed record ModelScores(string Model, double Mae, double Rmse, double Smape, double Mase, IReadOnlyDictionary<string, double> Coverage);

/// <summary>
/// The stored form of a run: JSON with camelCase names. Runs stored before this form existed (the contract's JSON
/// with every default written) have the same names and read the same way.
/// </summary>
public static class ForecastRunJson
{
    private static readonly JsonSerializerOptions Options = Create();

    public static string Serialize(ForecastRunResult run) => JsonSerializer.Serialize(run, Options);

    public static ForecastRunResult Deserialize(string json) =>
        JsonSerializer.Deserialize<ForecastRunResult>(json, Options) ?? throw new InvalidOperationException("empty stored forecast run");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.AllowReadingFromString,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            RespectNullableAnnotations = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
