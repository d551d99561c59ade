using Forecasting.Application.Forecasts;
using Google.Protobuf.WellKnownTypes;
using Proto = Forecasting.Contracts.V1;

namespace Forecasting.Server.Services;

/// <summary>A forecast run of the application as the contract's message.</summary>
public static class ForecastMapping
{
    public static Proto.ForecastRun ToProto(ForecastRunResult run)
    {
        var proto = new Proto.ForecastRun
        {
            RunId = run.RunId,
            Kind = run.Kind,
            CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(run.CreatedAt, DateTimeKind.Utc)),
            SnapshotId = run.SnapshotId,
            RequestedBy = run.RequestedBy,
            Seconds = run.Seconds,
        };
        proto.Series.AddRange(run.Series.Select(ToProto));
        return proto;
    }

    private static Proto.SeriesForecast ToProto(SeriesProjection series)
    {
        var proto = new Proto.SeriesForecast { Metric = series.Metric, Model = series.Model };
        foreach (var (k, v) in series.Key) proto.Key[k] = v;
        foreach (var (k, v) in series.Parameters) proto.Parameters[k] = v;
        proto.History.AddRange(series.History.Select(ProtoMapping.ToProto));
        proto.Points.AddRange(series.Points.Select(p =>
        {
            var point = new Proto.ForecastPoint { PeriodLabel = p.PeriodLabel, PeriodStart = p.PeriodStart, Mean = p.Mean };
            point.Intervals.AddRange(p.Intervals.Select(i => new Proto.IntervalBound { Level = i.Level, Lower = i.Lower, Upper = i.Upper }));
            return point;
        }));
        if (series.Backtest is { } backtest)
        {
            proto.Backtest = new Proto.BacktestSummary { Origins = backtest.Origins, Horizon = backtest.Horizon, Chosen = ToProto(backtest.Chosen) };
            proto.Backtest.Candidates.AddRange(backtest.Candidates.Select(ToProto));
        }
        proto.Notes.AddRange(series.Notes);
        return proto;
    }

    private static Proto.ModelScore? ToProto(ModelScores? score)
    {
        if (score is null) return null;
        var proto = new Proto.ModelScore { Model = score.Model, Mae = score.Mae, Rmse = score.Rmse, Smape = score.Smape, Mase = score.Mase };
        foreach (var (k, v) in score.Coverage) proto.Coverage[k] = v;
        return proto;
    }
}
