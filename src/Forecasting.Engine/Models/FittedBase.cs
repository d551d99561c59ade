namespace Forecasting.Engine.Models;

/// <summary>Shared plumbing for fitted models: fitted values, residuals and parameters.</summary>
public abstract class FittedBase : IFittedForecast
{
    protected FittedBase(double[] y, double[] fitted, IForecastModel frozen, string description, Dictionary<string, double> parameters)
    {
        FittedValues = fitted;
        Residuals = new double[y.Length];
        for (int i = 0; i < y.Length; i++) Residuals[i] = y[i] - fitted[i];
        Frozen = frozen;
        Description = description;
        Parameters = parameters;
    }

    public double[] FittedValues { get; }
    public double[] Residuals { get; }
    public IReadOnlyDictionary<string, double> Parameters { get; }
    public string Description { get; }
    public IForecastModel Frozen { get; }
    public abstract double[] Forecast(int h);
    public abstract double[] ForecastStdDev(int h);

    /// <summary>Residual standard deviation as R's lagwalk computes it (root mean square of defined residuals).</summary>
    protected double ResidualRms() => SeriesTools.Rms(Residuals);
}
