namespace Forecasting.Engine.Models;

/// <summary>
/// Equal-weight average of member models' forecasts. Its error standard deviation is the mean member sd, widened by
/// the members' disagreement when <c>dispersionWeight</c> c &gt; 0: sd_k = sqrt(mean member sd_k^2 + c v_k), v_k the
/// variance of the member forecasts at step k about their mean (see <see cref="Spread"/>).
/// </summary>
public sealed class CombinationModel : IForecastModel
{
    private readonly IReadOnlyList<IForecastModel> _members;
    private readonly double _dispersionWeight;

    public CombinationModel(IReadOnlyList<IForecastModel> members, double dispersionWeight = 0)
    {
        if (members.Count == 0) throw new ArgumentException("A combination needs at least one member.", nameof(members));
        if (!(dispersionWeight >= 0)) throw new ArgumentException($"The dispersion weight must be non-negative; got {dispersionWeight}.", nameof(dispersionWeight));
        _members = members;
        _dispersionWeight = dispersionWeight;
    }

    public string Name => "combination";
    public IReadOnlyList<IForecastModel> Members => _members;
    public double DispersionWeight => _dispersionWeight;

    public IFittedForecast Fit(double[] y, int period) => Combine(_members.Select(m => m.Fit(y, period)).ToList(), _dispersionWeight);

    public static IFittedForecast Combine(IReadOnlyList<IFittedForecast> fits, double dispersionWeight = 0) => new Fitted(fits, dispersionWeight);

    /// <summary>
    /// The combination's spread from the mean member sd and the member forecasts: sqrt(sd_k^2 + c v_k), v_k the
    /// variance of the member forecasts at step k about their mean (divided by the number of members); c = 0 gives
    /// the mean member sd.
    /// </summary>
    public static double[] Spread(double[] meanSd, IReadOnlyList<double[]> memberFc, double c)
    {
        if (c == 0) return meanSd;
        var r = new double[meanSd.Length];
        for (int k = 0; k < r.Length; k++)
        {
            double mu = memberFc.Average(f => f[k]);
            double v = memberFc.Average(f => (f[k] - mu) * (f[k] - mu));
            r[k] = Math.Sqrt(meanSd[k] * meanSd[k] + c * v);
        }
        return r;
    }

    private sealed class Fitted : IFittedForecast
    {
        private readonly IReadOnlyList<IFittedForecast> _fits;
        private readonly double _c;

        public Fitted(IReadOnlyList<IFittedForecast> fits, double c)
        {
            _fits = fits;
            _c = c;
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
            Frozen = new CombinationModel(fits.Select(f => f.Frozen).ToList(), c);
        }

        public double[] FittedValues { get; }
        public double[] Residuals { get; }
        public IReadOnlyDictionary<string, double> Parameters { get; }
        public string Description { get; }
        public IForecastModel Frozen { get; }

        public double[] Forecast(int h) => Average(_fits.Select(f => f.Forecast(h)).ToList(), h);

        public double[] ForecastStdDev(int h)
        {
            var meanSd = Average(_fits.Select(f => f.ForecastStdDev(h)).ToList(), h);
            return _c > 0 ? Spread(meanSd, _fits.Select(f => f.Forecast(h)).ToList(), _c) : meanSd;
        }

        private static double[] Average(IReadOnlyList<double[]> xs, int h)
        {
            var r = new double[h];
            foreach (var x in xs) for (int k = 0; k < h; k++) r[k] += x[k] / xs.Count;
            return r;
        }
    }
}
