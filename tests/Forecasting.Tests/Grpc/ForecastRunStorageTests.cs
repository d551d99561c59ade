using Forecasting.Application.Forecasts;
using Forecasting.Server.Services;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Xunit;
using Proto = Forecasting.Contracts.V1;

namespace Forecasting.Tests.Grpc;

/// <summary>Stored forecast runs have a form of their own, which also reads the runs stored as the contract's JSON.</summary>
[Trait("Category", "unit")]
public class ForecastRunStorageTests
{
    private static Proto.ForecastRun FullRun()
    {
        var series = new Proto.SeriesForecast { Metric = "admissions", Model = "combination", Notes = { "last period 2025/26 Q2 is incomplete" } };
        series.Key["age_group"] = "65+";
        series.Parameters["alpha"] = 0.25;
        series.History.Add(new Proto.SeriesPoint { PeriodLabel = "2024-03", PeriodStart = "2024-03-01", Value = 41, YearToDate = 410 });
        var point = new Proto.ForecastPoint { PeriodLabel = "2024-04", PeriodStart = "2024-04-01", Mean = 40.5 };
        point.Intervals.Add(new Proto.IntervalBound { Level = 80, Lower = 31.25, Upper = 50.75 });
        point.Intervals.Add(new Proto.IntervalBound { Level = 95, Lower = double.NaN, Upper = 56 });
        series.Points.Add(point);
        var chosen = new Proto.ModelScore { Model = "combination", Mae = 3.5, Rmse = 4.25, Smape = 8.5, Mase = 0.75 };
        chosen.Coverage["80"] = 0.8125;
        series.Backtest = new Proto.BacktestSummary { Origins = 6, Horizon = 12, Chosen = chosen, Candidates = { chosen.Clone() } };
        var run = new Proto.ForecastRun
        {
            RunId = "run-0123456789abcdef", Kind = "forecast", SnapshotId = "snap-1", RequestedBy = "analyst", Seconds = 1.5,
            CreatedAt = Timestamp.FromDateTime(new DateTime(2026, 11, 29, 6, 30, 15, 123, DateTimeKind.Utc)),
        };
        run.Series.Add(series);
        run.Series.Add(new Proto.SeriesForecast { Metric = "contacts", Model = "ets" });
        return run;
    }

    [Fact]
    public void A_run_stored_as_the_contracts_json_reads_back_to_the_same_message()
    {
        var legacy = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true)).Format(FullRun());
        var read = ForecastRunJson.Deserialize(legacy);
        Assert.Equal(FullRun(), ForecastMapping.ToProto(read));
        Assert.Null(read.Series[1].Backtest);
        Assert.Equal(0.8125, read.Series[0].Backtest!.Chosen!.Coverage["80"]);
    }

    [Fact]
    public void The_stored_form_round_trips_and_names_no_contract_type()
    {
        var run = ForecastRunJson.Deserialize(new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true)).Format(FullRun()));
        var stored = ForecastRunJson.Serialize(run);
        Assert.Equal(FullRun(), ForecastMapping.ToProto(ForecastRunJson.Deserialize(stored)));
        Assert.Contains("\"periodStart\":\"2024-04-01\"", stored);
        Assert.DoesNotContain(typeof(ForecastRunResult).Assembly.GetReferencedAssemblies(), a => a.Name == "Forecasting.Contracts");
    }
}
