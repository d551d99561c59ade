using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Forecasting.Engine.Models;

/// <summary>
/// Global gradient-boosted direct forecaster (LightGBM through Microsoft.ML): one model per seasonal period,
/// trained on windows of many series. Features are the last <see cref="Lags"/> values divided by the mean
/// absolute value of the last season, the step ahead and the season position of the target; the label is the
/// target divided by the same scale, so series of any size share one model.
/// <see cref="Fit"/> trains on the one series it is given; <see cref="Train"/> trains across a batch.
/// </summary>
public sealed class GbmModel : IForecastModel
{
    private readonly int _maxHorizon;
    private readonly int? _seed;
    public GbmModel(int maxHorizon = 24, int? seed = null) { _maxHorizon = maxHorizon; _seed = seed; }
    public string Name => "gbm";

    public const int Lags = 24;
    private const int Width = Lags + 3;
    private const int MaxOriginsPerSeries = 60;

    public IFittedForecast Fit(double[] y, int period) => Train(new[] { y }, period, _maxHorizon, _seed).Fitted(y);

    /// <summary>Trains one model across <paramref name="series"/> (all with the same period) for steps 1..maxHorizon.</summary>
    public static Trained Train(IReadOnlyList<double[]> series, int period, int maxHorizon, int? seed)
    {
        int m = Math.Max(1, period);
        var rows = new List<Row>();
        foreach (var y in series)
        {
            int first = Math.Max(Math.Min(y.Length - 1, Math.Max(4, m)), y.Length - 1 - MaxOriginsPerSeries);
            for (int t = first; t < y.Length; t++)  // t = number of observed points at the origin
            {
                double scale = Scale(y, t, m);
                for (int k = 1; k <= maxHorizon && t + k - 1 < y.Length; k++)
                    rows.Add(new Row { Features = Features(y, t, k, m, scale), Label = (float)(y[t + k - 1] / scale) });
            }
        }
        if (rows.Count < 10) throw new ArgumentException($"gbm needs more history: only {rows.Count} training windows.");
        var ml = new MLContext(seed ?? 1);
        var data = ml.Data.LoadFromEnumerable(rows, Schema());
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfLeaves = 31,
            NumberOfIterations = 200,
            LearningRate = 0.05,
            MinimumExampleCountPerLeaf = Math.Max(2, Math.Min(20, rows.Count / 50)),
            Seed = seed ?? 1,
            NumberOfThreads = 1,
            Silent = true,
        });
        var model = trainer.Fit(data);
        return new Trained(ml, model, m, maxHorizon, rows.Count);
    }

    private static SchemaDefinition Schema()
    {
        var s = SchemaDefinition.Create(typeof(Row));
        s[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Width);
        return s;
    }

    private static double Scale(double[] y, int t, int m)
    {
        int w = Math.Min(t, Math.Max(m, 4));
        double s = 0;
        for (int i = t - w; i < t; i++) s += Math.Abs(y[i]);
        s /= w;
        return s > 1e-9 ? s : 1.0;
    }

    private static float[] Features(double[] y, int t, int k, int m, double scale)
    {
        var f = new float[Width];
        for (int j = 0; j < Lags; j++)
        {
            int idx = t - 1 - j;
            f[j] = (float)(y[Math.Max(0, idx)] / scale);  // pad short histories with the first value
        }
        f[Lags] = k;
        f[Lags + 1] = (t + k - 1) % m;
        f[Lags + 2] = Math.Min(t, 200);
        return f;
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public float Label { get; set; }
    }

    private sealed class Prediction { public float Score { get; set; } }

    public sealed class Trained
    {
        private readonly MLContext _ml;
        private readonly ITransformer _model;
        private readonly object _lock = new();
        public int Period { get; }
        public int MaxHorizon { get; }
        public int TrainingRows { get; }

        internal Trained(MLContext ml, ITransformer model, int period, int maxHorizon, int rows)
        { _ml = ml; _model = model; Period = period; MaxHorizon = maxHorizon; TrainingRows = rows; }

        /// <summary>Forecasts steps 1..h from the end of each history, in one batched pass.</summary>
        public double[][] Predict(IReadOnlyList<double[]> histories, int h)
        {
            if (h > MaxHorizon) throw new ArgumentException($"gbm was trained for {MaxHorizon} steps; {h} requested.");
            var rows = new List<Row>();
            var scales = new double[histories.Count];
            for (int i = 0; i < histories.Count; i++)
            {
                var y = histories[i];
                scales[i] = Scale(y, y.Length, Period);
                for (int k = 1; k <= h; k++) rows.Add(new Row { Features = Features(y, y.Length, k, Period, scales[i]) });
            }
            float[] scores;
            lock (_lock)
            {
                var view = _model.Transform(_ml.Data.LoadFromEnumerable(rows, Schema()));
                scores = _ml.Data.CreateEnumerable<Prediction>(view, reuseRowObject: false).Select(p => p.Score).ToArray();
            }
            var result = new double[histories.Count][];
            for (int i = 0; i < histories.Count; i++)
            {
                result[i] = new double[h];
                for (int k = 0; k < h; k++) result[i][k] = scores[i * h + k] * scales[i];
            }
            return result;
        }

        /// <summary>Wraps the model for one series: in-sample one-step fits give the residual scale.</summary>
        public IFittedForecast Fitted(double[] y)
        {
            int n = y.Length, start = Math.Min(n - 1, Math.Max(4, Period));
            var prefixes = new List<double[]>();
            for (int t = start; t < n; t++) prefixes.Add(y[..t]);
            var fitted = new double[n];
            Array.Fill(fitted, double.NaN);
            if (prefixes.Count > 0)
            {
                var one = Predict(prefixes, 1);
                for (int i = 0; i < prefixes.Count; i++) fitted[start + i] = one[i][0];
            }
            return new FittedGbm(y, fitted, this);
        }
    }

    private sealed class FittedGbm : FittedBase
    {
        private readonly Trained _t;
        private readonly double[] _y;
        private readonly double _sigma;
        public FittedGbm(double[] y, double[] fitted, Trained t)
            : base(y, fitted, new GbmModel(t.MaxHorizon), "Gradient-boosted trees (LightGBM)", new Dictionary<string, double> { ["trainingRows"] = t.TrainingRows })
        {
            _t = t; _y = y;
            _sigma = SeriesTools.Rms(Residuals);
            ((Dictionary<string, double>)Parameters)["sigma"] = _sigma;
        }
        public override double[] Forecast(int h) => _t.Predict(new[] { _y }, h)[0];
        public override double[] ForecastStdDev(int h) => Enumerable.Range(1, h).Select(k => _sigma * Math.Sqrt(k)).ToArray();
    }
    /// <summary>
    /// The global model for a batch of series of one period, presented per series through the model interface:
    /// one model trained on all of them gives the final forecasts (and, from one-step forecasts over the last 24
    /// points, each series' residual scale); a second, trained only on the data before each series' first backtest
    /// origin, gives the forecasts from every origin, so the backtest is honest. Element i is null for a series the
    /// batch could not train.
    /// </summary>
    internal static IForecastModel[] ForBatch(IReadOnlyList<double[]> ys, IReadOnlyList<BacktestPlan> plans, int period, int h, int? seed, CancellationToken ct)
    {
        int count = ys.Count;
        var finalModel = Train(ys, period, h, seed);
        var finalFc = finalModel.Predict(ys, h);
        var prefixes = new List<double[]>(); var owner = new List<int>();
        for (int q = 0; q < count; q++)
            for (int t = Math.Max(Math.Min(ys[q].Length - 1, 4), ys[q].Length - 24); t < ys[q].Length; t++) { prefixes.Add(ys[q][..t]); owner.Add(q); }
        var one = finalModel.Predict(prefixes, 1);
        var sq = new double[count]; var cnt = new int[count];
        for (int q = 0; q < prefixes.Count; q++)
        {
            double e = ys[owner[q]][prefixes[q].Length] - one[q][0];
            sq[owner[q]] += e * e; cnt[owner[q]]++;
        }
        var withPlan = Enumerable.Range(0, count).Where(q => plans[q].Origins.Length > 0).ToList();
        ct.ThrowIfCancellationRequested();
        var originFc = new double[][]?[count];
        if (withPlan.Count > 0)
        {
            int hb = withPlan.Max(q => plans[q].Hb);
            var btModel = Train(withPlan.Select(q => ys[q][..plans[q].Origins.Min()]).ToList(), period, hb, seed);
            var hist = withPlan.SelectMany(q => plans[q].Origins.Select(t => ys[q][..t])).ToList();
            var fc = btModel.Predict(hist, hb);
            int pos = 0;
            foreach (var q in withPlan) { originFc[q] = fc.Skip(pos).Take(plans[q].Origins.Length).ToArray(); pos += plans[q].Origins.Length; }
        }
        var result = new IForecastModel[count];
        for (int q = 0; q < count; q++)
        {
            double sigma = cnt[q] > 0 ? Math.Sqrt(sq[q] / cnt[q]) : double.NaN;
            result[q] = new Precomputed("gbm", ys[q].Length, finalFc[q], sigma, plans[q], originFc[q],
                new Dictionary<string, double> { ["trainingRows"] = finalModel.TrainingRows, ["seriesInTraining"] = count, ["sigma"] = sigma },
                $"Gradient-boosted trees (LightGBM) trained across {count} series");
        }
        return result;
    }

    /// <summary>Forecasts computed across a batch presented through the model interface for one series.</summary>
    private sealed class Precomputed : IForecastModel, IFittedForecast
    {
        private readonly int _n;
        private readonly double[] _mean;
        private readonly double _sigma;
        private readonly BacktestPlan _plan;
        private readonly double[][]? _originFc;
        private readonly int _atLength;

        public Precomputed(string name, int n, double[] mean, double sigma, BacktestPlan plan, double[][]? originFc, Dictionary<string, double> parameters, string description, int? atLength = null)
        {
            Name = name; _n = n; _mean = mean; _sigma = sigma; _plan = plan; _originFc = originFc; Parameters = parameters; Description = description;
            FittedValues = new double[n]; Array.Fill(FittedValues, double.NaN);
            Residuals = (double[])FittedValues.Clone();
            _atLength = atLength ?? n;
        }

        public string Name { get; }
        public IFittedForecast Fit(double[] y, int period)
        {
            if (y.Length == _n) return this;
            int j = Array.IndexOf(_plan.Origins, y.Length);
            if (j < 0 || _originFc == null) throw new ArgumentException($"{Name}: no precomputed forecast from origin {y.Length}.");
            return new Precomputed(Name, _n, _mean, _sigma, _plan, _originFc, (Dictionary<string, double>)Parameters, Description, y.Length);
        }

        public double[] Forecast(int h)
        {
            var src = _atLength == _n ? _mean : _originFc![Array.IndexOf(_plan.Origins, _atLength)];
            if (h > src.Length) throw new ArgumentException($"{Name}: {h} steps requested, {src.Length} available.");
            return src[..h];
        }
        public double[] ForecastStdDev(int h) => Enumerable.Range(1, h).Select(k => _sigma * Math.Sqrt(k)).ToArray();
        public double[] FittedValues { get; }
        public double[] Residuals { get; }
        public IReadOnlyDictionary<string, double> Parameters { get; }
        public string Description { get; }
        public IForecastModel Frozen => this;
    }
}
