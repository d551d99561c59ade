namespace Forecasting.Engine.Models;

/// <summary>Equal-weight average of member models' forecasts (and of their error standard deviations).</summary>
public sealed class CombinationModel : IForecastModel
{
    private readonly IReadOnlyList<IForecastModel> _members;

    public CombinationModel(IReadOnlyList<IForecastModel> members)
    {
        if (members.Count == 0) throw new ArgumentException("A combination needs at least one member.", nameof(members));
        _members = members;
    }

    public string Name => "combination";
    public IReadOnlyList<IForecastModel> Members => _members;

    public IFittedForecast Fit(double[] y, int period) => Combine(_members.Select(m => m.Fit(y, period)).ToList());

    public static IFittedForecast Combine(IReadOnlyList<IFittedForecast> fits) => new Fitted(fits);

    private sealed class Fitted : IFittedForecast
    {
        private readonly IReadOnlyList<IFittedForecast> _fits;

        public Fitted(IReadOnlyList<IFittedForecast> fits)
        {
            _fits = fits;
            int n = fits[0].FittedValues.Length;
            FittedValues = new double[n];
            Residuals = new double[n];
            for (int t = 0; t < n; t++)
            {
                FittedValues[t] = fits.Average(f => f.FittedValues[t]);
                Residuals[t] = fits.Average(f => f.Residuals[t]);
            }
            var p = new Dictionary<string, double> { ["members"] = fits.Count };
            foreach (var f in fits)
                foreach (var kv in f.Parameters) p[$"{f.Frozen.Name}.{kv.Key}"] = kv.Value;
            Parameters = p;
            Description = "Mean of " + string.Join(", ", fits.Select(f => f.Description));
            Frozen = new CombinationModel(fits.Select(f => f.Frozen).ToList());
        }

        public double[] FittedValues { get; }
        public double[] Residuals { get; }
        public IReadOnlyDictionary<string, double> Parameters { get; }
        public string Description { get; }
        public IForecastModel Frozen { get; }

        public double[] Forecast(int h) => Average(_fits.Select(f => f.Forecast(h)).ToList(), h);
        public double[] ForecastStdDev(int h) => Average(_fits.Select(f => f.ForecastStdDev(h)).ToList(), h);

        private static double[] Average(IReadOnlyList<double[]> xs, int h)
        {
            var r = new double[h];
            foreach (var x in xs) for (int k = 0; k < h; k++) r[k] += x[k] / xs.Count;
            return r;
        }
    }
}
