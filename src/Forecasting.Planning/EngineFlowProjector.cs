using Forecasting.Engine;

namespace Forecasting.Planning;

/// <summary>Projects monthly flows with the forecasting engine (automatic model choice, 80% interval, counts non-negative).</summary>
public sealed class EngineFlowProjector(ForecastOrchestrator? orchestrator = null, string model = "auto", int? seed = 1) : IFlowProjector
{
    private readonly ForecastOrchestrator _orchestrator = orchestrator ?? new ForecastOrchestrator();

    public string Name => $"engine:{model}:seed={seed}";

    public FlowProjection Project(double[] monthlyHistory, int horizon)
    {
        var result = _orchestrator.Forecast(
            new TimeSeriesData(monthlyHistory, 12, NonNegative: true),
            new ForecastOptions(Horizon: horizon, Model: model, Levels: [80], Seed: seed));
        var interval = result.Intervals.FirstOrDefault(i => Math.Abs(i.Level - 80) < 1e-9) ?? result.Intervals.FirstOrDefault();
        if (interval is null)
            return new FlowProjection(result.Mean, result.Mean, result.Mean, 80, "engine:" + result.Model);
        return new FlowProjection(result.Mean, interval.Lower, interval.Upper, interval.Level, "engine:" + result.Model);
    }
}
