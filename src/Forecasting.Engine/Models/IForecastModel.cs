namespace Forecasting.Engine.Models;

/// <summary>A forecasting method: fits a complete (no NaN) series and returns a fitted model. No I/O.</summary>
public interface IForecastModel
{
    string Name { get; }

    /// <summary>Fits <paramref name="y"/> (no missing values) with seasonal period <paramref name="period"/>.</summary>
    IFittedForecast Fit(double[] y, int period);
}

public interface IFittedForecast
{
    /// <summary>Point forecasts for steps 1..h.</summary>
    double[] Forecast(int h);

    /// <summary>Model-based standard deviation of the h-step forecast error, steps 1..h.</summary>
    double[] ForecastStdDev(int h);

    /// <summary>One-step in-sample fitted values (NaN where undefined).</summary>
    double[] FittedValues { get; }

    /// <summary>y - FittedValues (NaN where undefined).</summary>
    double[] Residuals { get; }

    IReadOnlyDictionary<string, double> Parameters { get; }

    /// <summary>Human-readable description, e.g. "ETS(M,Ad,M)".</summary>
    string Description { get; }

    /// <summary>The same model structure with its choices (e.g. ETS form) frozen, for cheap refits at backtest origins.</summary>
    IForecastModel Frozen { get; }
}
