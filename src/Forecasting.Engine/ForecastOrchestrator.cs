using System.Collections.Concurrent;
using Forecasting.Engine.Models;
using MathNet.Numerics.Distributions;

namespace Forecasting.Engine;

/// <summary>
/// Fits candidate models, scores them by rolling-origin backtest, picks one (or an equal-weight combination of the
/// best) per series and calibrates prediction intervals from the backtest errors.
/// Interval calibration: backtest errors are divided by the model's own h-step standard deviation; the quantiles of
/// these standardised errors replace the normal quantiles. In a batch of at least <see cref="PoolMinSeries"/> series
/// with the same period, quantiles are pooled per step ahead across the batch; otherwise each series uses its own,
/// shrunk towards the normal quantiles when there are few of them.
/// </summary>
public sealed class ForecastOrchestrator
{
    public const int PoolMinSeries = 30;
    public const int GlobalMinSeries = 20;
    /// <summary>Members of the combination: this many best candidates by backtest MASE (0 = always the whole pool).</summary>
    public int CombinationSize { get; init; } = 0;
    /// <summary>Models tried by "auto".</summary>
    public IReadOnlyList<string> AutoCandidates { get; init; } = new[] { "naive", "snaive", "drift", "ets", "damped", "theta", "ssa", "gbm" };
    /// <summary>Models eligible for the combination.</summary>
    public IReadOnlyList<string> CombinationPool { get; init; } = new[] { "ets", "damped", "theta" };
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>
    /// "auto" keeps the combination unless a single model's backtest MASE is lower by more than this fraction.
    /// A few backtest origins are a noisy guide: on M1 every margin tried below 1 lost accuracy against always
    /// keeping the combination (see bench/README.md), so by default the combination is kept whenever it can be
    /// formed and backtested, and a single model is chosen by backtest MASE only when it cannot.
    /// </summary>
    public double SelectionMargin { get; init; } = 1.0;
    /// <summary>Standardise backtest errors by the series' in-sample naive MAE instead of the model's h-step sd.</summary>
    public bool NaiveScaleIntervals { get; init; }
    /// <summary>
    /// Additional rolling origins, spread evenly over the history, at which the chosen model is refitted only to
    /// collect calibration errors for the intervals (0 = calibrate on the backtest origins only).
    /// </summary>
    public int CalibrationOrigins { get; init; } = 12;
    /// <summary>
    /// Pooled calibration gives every series the same total weight at each step (instead of every error), so
    /// long series with many origins do not dominate the quantiles that all series use.
    /// </summary>
    public bool EqualSeriesWeights { get; init; } = true;
    /// <summary>At calibration origins, repeat the model selection (ETS form) on the data before the origin instead of keeping the form chosen on all the data.</summary>
    public bool CalibrationReselect { get; init; } = false;
    /// <summary>Members of the combination for non-seasonal series (period 1, or too short for seasonal models).</summary>
    public IReadOnlyList<string> NonSeasonalCombinationPool { get; init; } = new[] { "ets", "damped", "theta", "drift" };
    /// <summary>
    /// Weight c of the members' disagreement in the combination's spread: sd = sqrt(mean member sd^2 + c x variance
    /// of the member forecasts) instead of the mean member sd (0 = mean member sd only). Used wherever the
    /// combination's errors are standardised (backtest and calibration origins) and for the final intervals.
    /// </summary>
    internal double DispersionWeight { get; init; } = 3;

    public static IReadOnlyList<string> ModelNames { get; } = new[] { "auto", "naive", "snaive", "drift", "ets", "damped", "theta", "ssa", "gbm", "combination", "croston", "tsb" };

    /// <summary>Intermittent-demand models that "auto" adds to its candidates for intermittent series only (ADI &gt; 1.32).</summary>
    public static IReadOnlyList<string> IntermittentCandidates { get; } = new[] { "croston", "tsb" };

    /// <summary>Count interval bounds (Poisson / negative binomial) are used at steps whose mean forecast is below this.</summary>
    public const double CountLevelLimit = 20;

    public ForecastResult Forecast(TimeSeriesData series, ForecastOptions options) => ForecastMany(new[] { series }, options)[0];

    public IReadOnlyList<ForecastResult> ForecastMany(IReadOnlyList<TimeSeriesData> series, ForecastOptions options,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ValidateOptions(options);
        if (series is null || series.Count == 0) return Array.Empty<ForecastResult>();
        var prepared = new PreparedSeries[series.Count];
        var errors = new List<string>();
        for (int i = 0; i < series.Count; i++)
        {
            try { prepared[i] = Preparation.Prepare(series[i]); }
            catch (ArgumentException e) { errors.Add(series.Count == 1 ? e.Message : $"series[{i}]: {e.Message}"); }
        }
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors));

        string model = options.Model.Trim().ToLowerInvariant();
        int h = options.Horizon;
        var plans = prepared.Select(p => BacktestPlan.Make(p.Y.Length, p.Period, h, options.BacktestOrigins)).ToArray();
        bool wantGbm = model == "gbm" || (model == "auto" && options.ScoreAllCandidates && AutoCandidates.Contains("gbm")) || (model is "auto" or "combination" && CombinationPool.Contains("gbm"));
        var gbm = wantGbm ? PrecomputeGbm(prepared, plans, h, options, model == "gbm", ct) : new Dictionary<int, IForecastModel>();

        var work = new SeriesWork[series.Count];
        int done = 0;
        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, MaxDegreeOfParallelism), CancellationToken = ct };
        Parallel.For(0, series.Count, po, i =>
        {
            work[i] = Analyse(prepared[i], plans[i], model, options, gbm.GetValueOrDefault(i), ct);
            progress?.Report(Interlocked.Increment(ref done));
        });
        ct.ThrowIfCancellationRequested();
        // Series whose combination failed choose among all of auto's candidates, the global model included: it is
        // trained (across the whole batch, as when every candidate is scored) only when such a series exists.
        var late = Enumerable.Range(0, series.Count).Where(i => work[i].WantsGlobalModel).ToList();
        if (late.Count > 0)
        {
            var lateGbm = PrecomputeGbm(prepared, plans, h, options, false, ct, late.Select(i => prepared[i].Period).ToHashSet());
            Parallel.ForEach(late.Where(lateGbm.ContainsKey), po, i => work[i] = Analyse(prepared[i], plans[i], model, options, lateGbm[i], ct));
        }

        var levels = options.EffectiveLevels;
        var pooled = PoolCalibration(prepared, work, levels, EqualSeriesWeights);
        var results = new ForecastResult[series.Count];
        for (int i = 0; i < series.Count; i++) results[i] = Assemble(prepared[i], work[i], levels, pooled.GetValueOrDefault(prepared[i].DeclaredPeriod), options);
        return results;
    }

    private static void ValidateOptions(ForecastOptions o)
    {
        if (o is null) throw new ArgumentNullException(nameof(o));
        if (o.Horizon < 1) throw new ArgumentException($"Horizon must be at least 1; got {o.Horizon}.");
        if (o.BacktestOrigins < 0) throw new ArgumentException($"BacktestOrigins must not be negative; got {o.BacktestOrigins}.");
        if (o.Model is null || !ModelNames.Contains(o.Model.Trim().ToLowerInvariant()))
            throw new ArgumentException($"Unknown model '{o.Model}'. Valid names: {string.Join(", ", ModelNames)}.");
        foreach (var l in o.EffectiveLevels)
            if (!(l > 0 && l < 100)) throw new ArgumentException($"Interval level {l} must be between 0 and 100 (percent).");
    }

    internal static IForecastModel? Create(string name, int period) => name switch
    {
        "naive" => new NaiveModel(),
        "snaive" => period > 1 ? new SeasonalNaiveModel() : null,
        "drift" => new DriftModel(),
        "ets" => new EtsModel(),
        "damped" => EtsModel.Damped(),
        "theta" => new ThetaModel(),
        "ssa" => new SsaModel(),
        "croston" => new IntermittentModel(IntermittentMethod.Sba),
        "tsb" => new IntermittentModel(IntermittentMethod.Tsb),
        _ => null,
    };

    // ---------------------------------------------------------------- per-series analysis

    private sealed class CandidateRun
    {
        public required string Name;
        public required IFittedForecast Full;
        public double[]?[] Fc = Array.Empty<double[]?>();
        public double[]?[] Sd = Array.Empty<double[]?>();
        public ModelScore? Score;
        public List<string> Members = new();
    }

    private sealed class SeriesWork
    {
        public required string Model;
        public required IFittedForecast? Fit;
        public required double[] Mean;
        public required double[] Sd;
        public List<double>[] Z = Array.Empty<List<double>>();   // standardised backtest errors per step
        public BacktestSummary? Backtest;
        public List<CandidateRun> Runs = new();
        public List<string> Notes = new();
        /// <summary>"auto" fell back to every candidate without the global model, which was not trained for this batch.</summary>
        public bool WantsGlobalModel;
        public double Scale;
        public BacktestPlan Plan = new(Array.Empty<int>(), 0);
    }

    private SeriesWork Analyse(PreparedSeries p, BacktestPlan plan, string model, ForecastOptions o, IForecastModel? gbm, CancellationToken ct)
    {
        var y = p.Y;
        int h = o.Horizon, m = p.Period;
        var notes = new List<string>();
        double scale = SeriesTools.NaiveScale(y, p.DeclaredPeriod <= y.Length / 2 ? p.DeclaredPeriod : 1);
        if (!(scale > 0)) scale = Math.Max(1e-9, y.Average(Math.Abs));
        if (p.Constant)
        {
            var fit = new NaiveModel().Fit(y, 1);
            return new SeriesWork { Model = "naive", Fit = fit, Mean = fit.Forecast(h), Sd = new double[h], Notes = notes, Scale = scale };
        }

        var poolNames = m == 1 ? NonSeasonalCombinationPool : CombinationPool;
        List<string> names = model switch
        {
            // "auto" keeps the combination whenever it can be formed and backtested, so by default it fits only the
            // combination's members; the other candidates are fitted when asked for or when the combination fails.
            "auto" => o.ScoreAllCandidates ? AutoCandidates.ToList() : AutoCandidates.Where(poolNames.Contains).ToList(),
            "combination" => CombinationPool.Union(m == 1 ? NonSeasonalCombinationPool : Array.Empty<string>()).ToList(),
            _ => new List<string> { model },
        };
        if (m == 1) names.Remove("snaive");
        if (model == "snaive" && m == 1)
        {
            notes.Add(p.DeclaredPeriod > 1 ? "snaive needs two seasons of data: naive used instead" : "snaive on a non-seasonal series is naive: naive used");
            names = new List<string> { "naive" };
        }
        if (gbm == null) names.Remove("gbm");
        // Intermittent series (ADI > 1.32, Syntetos-Boylan) also try the intermittent-demand models; other series
        // never see them, so "auto" is unchanged for them.
        bool intermittent = model == "auto" && IntermittentModel.IsIntermittent(y);
        if (intermittent) names.AddRange(IntermittentCandidates.Where(c => !names.Contains(c)));

        bool backtested = plan.Origins.Length > 0, wantsGlobal = false;
        var runs = new List<CandidateRun>();
        FitCandidates(names);

        if (!backtested)
            notes.Add(o.BacktestOrigins == 0
                ? "backtest disabled: model chosen without backtest; intervals from model formulas"
                : $"series too short for a backtest ({y.Length} points): intervals from model formulas");

        // The combination: mean of the members of the combination pool.
        if (model is "auto" or "combination")
        {
            var members = runs.Where(r => poolNames.Contains(r.Name)).ToList();
            if (members.Count >= 2)
            {
                var comb = new CandidateRun { Name = "combination", Full = CombinationModel.Combine(members.Select(r => r.Full).ToList()), Members = members.Select(r => r.Name).ToList() };
                if (backtested)
                {
                    comb.Fc = new double[]?[plan.Origins.Length];
                    comb.Sd = new double[]?[plan.Origins.Length];
                    for (int j = 0; j < plan.Origins.Length; j++)
                    {
                        if (members.Any(r => r.Fc[j] == null)) continue;
                        comb.Fc[j] = Enumerable.Range(0, plan.Hb).Select(k => members.Average(r => r.Fc[j]![k])).ToArray();
                        comb.Sd[j] = Enumerable.Range(0, plan.Hb).Select(k => members.Average(r => r.Sd[j]![k])).ToArray();
                        if (DispersionWeight > 0) comb.Sd[j] = DispersedSd(comb.Sd[j]!, members.Select(r => r.Fc[j]!).ToList(), DispersionWeight);
                    }
                    comb.Score = Score(comb, y, plan, scale);
                }
                runs.Add(comb);
            }
            else if (model == "combination")
                notes.Add("fewer than two models available: combination replaced by the best single model");

            // Fallback: without a usable combination "auto" chooses among all its candidates, so fit the rest now.
            var formed = runs.FirstOrDefault(r => r.Name == "combination");
            if (model == "auto" && !o.ScoreAllCandidates && (formed == null || (backtested && !(formed.Score is { } fs && double.IsFinite(fs.Mase)))))
            {
                var rest = AutoCandidates.Where(c => !names.Contains(c) && !(m == 1 && c == "snaive") && !(c == "gbm" && gbm == null)).ToList();
                FitCandidates(rest);
                wantsGlobal = gbm == null && AutoCandidates.Contains("gbm");
                // Candidates in the order "auto" lists them (as when all are fitted at once), the combination last.
                var order = AutoCandidates.Concat(IntermittentCandidates).Append("combination").ToList();
                runs = runs.OrderBy(r => order.IndexOf(r.Name) is var ix and >= 0 ? ix : int.MaxValue).ToList();
            }
        }

        if (runs.Count == 0)
        {
            // Every requested model failed: the naive forecast always exists.
            notes.Add($"no requested model could be fitted; naive used");
            var nf = new NaiveModel().Fit(y, 1);
            runs.Add(new CandidateRun { Name = "naive", Full = nf });
        }

        void FitCandidates(IReadOnlyList<string> list)
        {
            // ETS and damped ETS share one search over the forms when both are wanted.
            var shared = new Dictionary<string, IFittedForecast>();
            if (list.Contains("ets") && list.Contains("damped"))
            {
                try { var (all, damped) = new EtsModel().FitWithDamped(y, m); shared["ets"] = all; shared["damped"] = damped; }
                catch (ArgumentException) { /* each is tried (and its failure noted) on its own below */ }
            }
            foreach (var name in list)
            {
                // A long series can take seconds per candidate: a cancelled call stops between fits, not after them all.
                ct.ThrowIfCancellationRequested();
                IForecastModel? mdl = name == "gbm" ? gbm : Create(name, m);
                if (mdl == null) continue;
                try
                {
                    var full = shared.TryGetValue(name, out var pre) ? pre : mdl.Fit(y, m);
                    var run = new CandidateRun { Name = name, Full = full };
                    if (backtested)
                    {
                        run.Fc = new double[]?[plan.Origins.Length];
                        run.Sd = new double[]?[plan.Origins.Length];
                        for (int j = 0; j < plan.Origins.Length; j++)
                        {
                            ct.ThrowIfCancellationRequested();
                            try
                            {
                                var f = full.Frozen.Fit(y[..plan.Origins[j]], m);
                                run.Fc[j] = f.Forecast(plan.Hb);
                                run.Sd[j] = f.ForecastStdDev(plan.Hb);
                            }
                            catch (ArgumentException) { }
                        }
                        run.Score = Score(run, y, plan, scale);
                    }
                    runs.Add(run);
                }
                catch (ArgumentException e)
                {
                    notes.Add($"{name} skipped: {e.Message}");
                }
            }
        }

        CandidateRun chosen;
        if (model == "auto" || model == "combination")
        {
            var pool = model == "combination" && runs.Any(r => r.Name == "combination") ? runs.Where(r => r.Name == "combination").ToList() : runs;
            var comb = pool.FirstOrDefault(r => r.Name == "combination");
            var bestSingle = pool.Where(r => r.Score != null && double.IsFinite(r.Score.Mase)).OrderBy(r => r.Score!.Mase).FirstOrDefault();
            if (!backtested || bestSingle == null) chosen = comb ?? pool.FirstOrDefault(r => r.Name == "ets") ?? pool[0];
            else if (comb?.Score is { } cs && double.IsFinite(cs.Mase) && !(bestSingle.Score!.Mase < (1 - SelectionMargin) * cs.Mase)) chosen = comb;
            else chosen = bestSingle;
            // For intermittent series an intermittent-demand model replaces the choice when its backtest MASE is lower
            // (no margin: these models are built for such series, the others are not).
            if (intermittent && backtested
                && pool.Where(r => IntermittentCandidates.Contains(r.Name) && r.Score != null && double.IsFinite(r.Score.Mase)).OrderBy(r => r.Score!.Mase).FirstOrDefault() is { } im
                && (chosen.Score is not { } chs || !double.IsFinite(chs.Mase) || im.Score!.Mase < chs.Mase))
                chosen = im;
            if (intermittent) notes.Add($"intermittent series (ADI {IntermittentModel.Adi(y):0.##} > {IntermittentModel.AdiThreshold}): {string.Join(" and ", IntermittentCandidates)} added to the candidates");
            if (model == "auto")
                notes.Add(backtested
                    ? $"auto chose {chosen.Name} ({chosen.Full.Description}) by backtest MASE {chosen.Score!.Mase:0.###} over {plan.Origins.Length} origins {(SelectionMargin >= 1 ? "" : $" (a single model must beat the combination by {SelectionMargin:P0})")}"
                    : $"auto chose {chosen.Name} ({chosen.Full.Description}) without backtest");
        }
        else chosen = runs[0];

        var work = new SeriesWork
        {
            Model = chosen.Name, Fit = chosen.Full, Mean = chosen.Full.Forecast(h),
            Sd = DispersionWeight > 0 && chosen.Name == "combination"
                ? DispersedSd(chosen.Full.ForecastStdDev(h), runs.Where(r => chosen.Members.Contains(r.Name)).Select(r => r.Full.Forecast(h)).ToList(), DispersionWeight)
                : chosen.Full.ForecastStdDev(h),
            Runs = runs, Notes = notes, Scale = scale, Plan = plan, WantsGlobalModel = wantsGlobal,
        };
        if (backtested)
        {
            work.Z = StandardisedErrors(chosen, y, plan, scale, NaiveScaleIntervals);
            if (CalibrationOrigins > 0)
            {
                // Refitting with the full model selection at each origin keeps the calibration errors out of sample;
                // the frozen form (chosen on all the data) is the fallback for models that cannot be recreated.
                IForecastModel calModel = chosen.Full.Frozen;
                if (CalibrationReselect)
                {
                    var fresh = (chosen.Name == "combination" ? chosen.Members : new List<string> { chosen.Name }).Select(nm => Create(nm, m)).ToList();
                    if (fresh.All(x => x != null)) calModel = fresh.Count == 1 ? fresh[0]! : new CombinationModel(fresh!);
                }
                if (DispersionWeight > 0 && calModel is CombinationModel cm) calModel = new DispersedCombination(cm.Members, DispersionWeight);
                work.Z = AddCalibrationErrors(work.Z, calModel, y, m, h, plan, CalibrationOrigins, scale, NaiveScaleIntervals);
            }
            work.Backtest = new BacktestSummary(plan.Origins.Length, plan.Hb, chosen.Score!, runs.Where(r => r.Score != null).Select(r => r.Score!).ToList());
        }
        return work;
    }

    /// <summary>
    /// The combination's spread with the members' disagreement: sqrt(sd_k^2 + c x v_k), v_k the variance of the member
    /// forecasts at step k about their mean (divided by the number of members).
    /// </summary>
    internal static double[] DispersedSd(double[] meanSd, IReadOnlyList<double[]> memberFc, double c)
    {
        var r = new double[meanSd.Length];
        for (int k = 0; k < r.Length; k++)
        {
            double mu = memberFc.Average(f => f[k]);
            double v = memberFc.Average(f => (f[k] - mu) * (f[k] - mu));
            r[k] = Math.Sqrt(meanSd[k] * meanSd[k] + c * v);
        }
        return r;
    }

    /// <summary>A combination refitted at calibration origins whose spread includes the members' disagreement.</summary>
    private sealed class DispersedCombination(IReadOnlyList<IForecastModel> members, double c) : IForecastModel
    {
        public string Name => "combination";
        public IFittedForecast Fit(double[] y, int period) => new Fitted(members.Select(m => m.Fit(y, period)).ToList(), c);

        private sealed class Fitted(IReadOnlyList<IFittedForecast> fits, double c) : IFittedForecast
        {
            private readonly IFittedForecast _mean = CombinationModel.Combine(fits);
            public double[] Forecast(int h) => _mean.Forecast(h);
            public double[] ForecastStdDev(int h) => DispersedSd(_mean.ForecastStdDev(h), fits.Select(f => f.Forecast(h)).ToList(), c);
            public double[] FittedValues => _mean.FittedValues;
            public double[] Residuals => _mean.Residuals;
            public IReadOnlyDictionary<string, double> Parameters => _mean.Parameters;
            public string Description => _mean.Description;
            public IForecastModel Frozen => new DispersedCombination(fits.Select(f => f.Frozen).ToList(), c);
        }
    }

    /// <summary>The unit in which errors are standardised: the model's h-step sd, or the series' naive scale.</summary>
    private static double Spread(double sd, int k, double scale, bool naiveBasis) =>
        naiveBasis ? scale : sd > 1e-9 * scale && double.IsFinite(sd) ? sd : scale * Math.Sqrt(k + 1);

    private static List<double>[] StandardisedErrors(CandidateRun r, double[] y, BacktestPlan plan, double scale, bool naiveBasis)
    {
        var z = Enumerable.Range(0, plan.Hb).Select(_ => new List<double>()).ToArray();
        for (int j = 0; j < plan.Origins.Length; j++)
        {
            if (r.Fc[j] is not { } f) continue;
            var sd = r.Sd[j]!;
            for (int k = 0; k < plan.Hb; k++)
            {
                double s = Spread(sd[k], k, scale, naiveBasis);
                z[k].Add((y[plan.Origins[j] + k] - f[k]) / s);
            }
        }
        return z;
    }

    /// <summary>
    /// Origins (points used) for calibration only: up to <paramref name="count"/> evenly spaced over
    /// [minimum training length, n - 1], excluding the backtest origins.
    /// </summary>
    internal static int[] CalibrationPlan(int n, int period, int count, BacktestPlan plan)
    {
        int minTrain = BacktestPlan.MinTrain(period);
        if (count <= 0 || n - 1 < minTrain) return Array.Empty<int>();
        int span = n - 1 - minTrain;
        var set = new SortedSet<int>();
        for (int j = 0; j < count; j++)
            set.Add(count == 1 ? n - 1 : minTrain + (int)Math.Round(span * (double)j / (count - 1)));
        set.ExceptWith(plan.Origins);
        return set.ToArray();
    }

    private static List<double>[] AddCalibrationErrors(List<double>[] z, IForecastModel model, double[] y, int m, int h, BacktestPlan plan, int count, double scale, bool naiveBasis)
    {
        var origins = CalibrationPlan(y.Length, m, count, plan);
        int maxK = Math.Max(z.Length, origins.Length == 0 ? 0 : Math.Min(h, y.Length - origins.Min()));
        var res = Enumerable.Range(0, maxK).Select(k => k < z.Length ? new List<double>(z[k]) : new List<double>()).ToArray();
        foreach (int t in origins)
        {
            int hk = Math.Min(h, y.Length - t);
            try
            {
                var f = model.Fit(y[..t], m);
                var fc = f.Forecast(hk); var sd = f.ForecastStdDev(hk);
                for (int k = 0; k < hk; k++)
                {
                    double e = (y[t + k] - fc[k]) / Spread(sd[k], k, scale, naiveBasis);
                    if (double.IsFinite(e)) res[k].Add(e);
                }
            }
            catch (ArgumentException) { }
        }
        return res;
    }

    private static ModelScore Score(CandidateRun r, double[] y, BacktestPlan plan, double scale)
    {
        double ae = 0, se = 0, sm = 0; int c = 0;
        for (int j = 0; j < plan.Origins.Length; j++)
        {
            if (r.Fc[j] is not { } f) continue;
            for (int k = 0; k < plan.Hb; k++)
            {
                double a = y[plan.Origins[j] + k], e = a - f[k];
                if (!double.IsFinite(e)) { ae = double.PositiveInfinity; continue; }
                ae += Math.Abs(e); se += e * e; sm += Accuracy.SmapeTerm(a, f[k]); c++;
            }
        }
        if (c == 0) return new ModelScore(r.Name, double.NaN, double.NaN, double.NaN, double.NaN, new Dictionary<double, double>());
        return new ModelScore(r.Name, ae / c, Math.Sqrt(se / c), sm / c, ae / c / scale, new Dictionary<double, double>());
    }

    // ---------------------------------------------------------------- calibration

    /// <summary>Lower and upper standardised-error quantiles per level, per step.</summary>
    private sealed record Calibration(Dictionary<double, (double Lo, double Hi)[]> ByLevel, string Source);

    private static Dictionary<int, Calibration> PoolCalibration(PreparedSeries[] prepared, SeriesWork[] work, double[] levels, bool equalSeriesWeights)
    {
        var result = new Dictionary<int, Calibration>();
        foreach (var g in Enumerable.Range(0, prepared.Length).Where(i => work[i].Z.Length > 0).GroupBy(i => prepared[i].DeclaredPeriod))
        {
            var idx = g.ToList();
            if (idx.Count < PoolMinSeries) continue;
            int maxK = idx.Max(i => work[i].Z.Length);
            var byLevel = new Dictionary<double, (double, double)[]>();
            foreach (var level in levels) byLevel[level] = new (double, double)[maxK];
            for (int k = 0; k < maxK; k++)
            {
                // Neighbouring steps are pooled to smooth the quantiles.
                var zs = new List<double>(); var ws = new List<double>();
                foreach (var i in idx)
                {
                    int first = zs.Count;
                    foreach (int kk in new[] { Math.Max(0, k - 1), k, Math.Min(maxK - 1, k + 1) })
                        if (kk < work[i].Z.Length) zs.AddRange(work[i].Z[kk].Where(double.IsFinite));
                    int cnt = zs.Count - first;
                    for (int c = 0; c < cnt; c++) ws.Add(equalSeriesWeights ? 1.0 / cnt : 1.0);
                }
                foreach (var level in levels)
                    byLevel[level][k] = equalSeriesWeights ? WeightedQuantiles(zs, ws, level) : Quantiles(zs, level, 0);
            }
            result[g.Key] = new Calibration(byLevel, $"intervals calibrated on backtest errors pooled across {idx.Count} series");
        }
        return result;
    }

    /// <summary>Empirical quantiles of standardised errors, shrunk towards the normal quantiles with weight n0 pseudo-observations.</summary>
    internal static (double Lo, double Hi) Quantiles(List<double> z, double level, int n0)
    {
        double a = 1 - level / 100, zn = Normal.InvCDF(0, 1, 1 - a / 2);
        var finite = z.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return (-zn, zn);
        Array.Sort(finite);
        int n = finite.Length;
        // Split-conformal style finite-sample correction of the tail probabilities.
        double pHi = Math.Min(1, (1 - a / 2) * (n + 1) / n), pLo = Math.Max(0, 1 - pHi);
        double lo = SeriesTools.Quantile(finite, pLo), hi = SeriesTools.Quantile(finite, pHi);
        double w = n / (double)(n + n0);
        lo = w * lo + (1 - w) * -zn; hi = w * hi + (1 - w) * zn;
        return (Math.Min(lo, 0), Math.Max(hi, 0));
    }

    /// <summary>
    /// Weighted empirical quantiles (lower, upper) of standardised errors for a central interval of the given level.
    /// Each error stands for the weight interval it occupies in the sorted order; the quantile at probability p is
    /// interpolated linearly between the weight midpoints (for equal weights: (i + 0.5) / n). The tail probability is
    /// corrected for the sample size as in split conformal prediction, with the effective size (sum w)^2 / sum w^2.
    /// </summary>
    internal static (double Lo, double Hi) WeightedQuantiles(IReadOnlyList<double> z, IReadOnlyList<double> w, double level)
    {
        double a = 1 - level / 100, zn = Normal.InvCDF(0, 1, 1 - a / 2);
        var pairs = Enumerable.Range(0, z.Count).Where(i => double.IsFinite(z[i]) && w[i] > 0).Select(i => (Z: z[i], W: w[i])).OrderBy(p => p.Z).ToArray();
        if (pairs.Length == 0) return (-zn, zn);
        double total = pairs.Sum(p => p.W), nEff = total * total / pairs.Sum(p => p.W * p.W);
        var mid = new double[pairs.Length];
        double cum = 0;
        for (int i = 0; i < pairs.Length; i++) { mid[i] = (cum + pairs[i].W / 2) / total; cum += pairs[i].W; }
        double Q(double p)
        {
            if (p <= mid[0]) return pairs[0].Z;
            if (p >= mid[^1]) return pairs[^1].Z;
            int hi = Array.FindIndex(mid, m => m >= p), lo = hi - 1;
            double t = (p - mid[lo]) / (mid[hi] - mid[lo]);
            return pairs[lo].Z + t * (pairs[hi].Z - pairs[lo].Z);
        }
        double pHi = Math.Min(1, (1 - a / 2) * (nEff + 1) / nEff), pLo = Math.Max(0, 1 - pHi);
        return (Math.Min(Q(pLo), 0), Math.Max(Q(pHi), 0));
    }

    private const int ShrinkPseudoCount = 20;

    private static Calibration LocalCalibration(SeriesWork w, double[] levels, int excludeOrigin = -1)
    {
        var all = w.Z.SelectMany(x => x).ToList();
        var byLevel = new Dictionary<double, (double, double)[]>();
        foreach (var level in levels)
        {
            var q = Quantiles(all, level, ShrinkPseudoCount);
            byLevel[level] = new[] { q };
        }
        return new Calibration(byLevel, $"intervals calibrated on this series' {all.Count} backtest errors");
    }

    private static (double Lo, double Hi) At(Calibration c, double level, int k)
    {
        var arr = c.ByLevel[level];
        return arr[Math.Min(k, arr.Length - 1)];
    }

    // ---------------------------------------------------------------- assembly

    private ForecastResult Assemble(PreparedSeries p, SeriesWork w, double[] levels, Calibration? pooled, ForecastOptions o)
    {
        int h = o.Horizon;
        var notes = new List<string>(p.Notes);
        notes.AddRange(w.Notes);
        Calibration? cal = null;
        if (w.Z.Length > 0) cal = pooled ?? LocalCalibration(w, levels);
        if (cal != null) notes.Add(cal.Source);

        var mean = (double[])w.Mean.Clone();
        var intervals = new List<PredictionInterval>();
        foreach (var level in levels.OrderBy(l => l))
        {
            var lo = new double[h]; var hi = new double[h];
            double zn = Normal.InvCDF(0, 1, 0.5 + level / 200);
            for (int k = 0; k < h; k++)
            {
                var (ql, qh) = cal != null ? At(cal, level, k) : (-zn, zn);
                double sd = p.Constant ? 0 : Spread(w.Sd[k], k, w.Scale, NaiveScaleIntervals);
                lo[k] = mean[k] + ql * sd; hi[k] = mean[k] + qh * sd;
            }
            intervals.Add(new PredictionInterval(level, lo, hi));
        }
        if (p.NonNegative)
        {
            bool clamped = false;
            for (int k = 0; k < h; k++) if (mean[k] < 0) { mean[k] = 0; clamped = true; }
            foreach (var iv in intervals)
                for (int k = 0; k < h; k++)
                {
                    if (iv.Lower[k] < 0) { iv.Lower[k] = 0; }
                    if (iv.Upper[k] < 0) { iv.Upper[k] = 0; clamped = true; }
                }
            if (clamped) notes.Add("negative forecasts clamped at 0 (NonNegative)");
        }

        if (p.Count && !p.Constant && w.Fit != null && Enumerable.Range(0, h).Any(k => mean[k] < CountLevelLimit))
            notes.Add(CountIntervals(p.Y, w, mean, intervals));

        BacktestSummary? bt = null;
        if (w.Backtest != null)
        {
            // Coverage of each candidate's calibrated intervals, leaving each origin out of its own calibration.
            var scores = w.Runs.Where(r => r.Score != null).Select(r => r.Score! with { Coverage = Coverage(r, p.Y, w, levels, pooled, NaiveScaleIntervals) }).ToList();
            bt = w.Backtest with { Candidates = scores, Chosen = scores.First(s => s.Model == w.Model) };
        }
        var parameters = new Dictionary<string, double>(w.Fit?.Parameters ?? new Dictionary<string, double>());
        if (w.Fit != null) notes.Insert(0, $"{w.Model}: {w.Fit.Description}");
        return new ForecastResult(w.Model, parameters, mean, intervals, bt, notes);
    }

    /// <summary>
    /// Integer interval bounds from a count distribution whose mean is the point forecast, at the steps where the mean
    /// is below <see cref="CountLevelLimit"/>. The dispersion phi = sum r^2 / sum f over the one-step in-sample errors r
    /// and fitted values f (or, without fitted values, half the variance of the differences over the mean). Poisson
    /// unless phi &gt; 1 + 2 sqrt(2 / n) (two standard errors of phi under a Poisson model), otherwise negative binomial
    /// with variance mu + mu^2 / size, 1 / size = sum(r^2 - f) / sum f^2. The model's growth in variance beyond step 1
    /// (sd_k^2 - sd_1^2) is added to the variance at step k (negative binomial when positive). Bounds: lower = smallest l with P(Y &lt;= l) &gt;= a/2, upper = smallest u with
    /// P(Y &lt;= u) &gt;= 1 - a/2, so the coverage of the distribution is at least the level.
    /// </summary>
    private static string CountIntervals(double[] y, SeriesWork w, double[] mean, List<PredictionInterval> intervals)
    {
        double sr = 0, sf = 0, sf2 = 0; int cnt = 0;
        var fv = w.Fit!.FittedValues;
        for (int t = 0; t < y.Length && t < fv.Length; t++)
        {
            double f = fv[t];
            if (!double.IsFinite(f)) continue;
            f = Math.Max(f, 0);
            double r = y[t] - f;
            sr += r * r; sf += f; sf2 += f * f; cnt++;
        }
        double phi, invSize;
        string source;
        if (cnt >= 10 && sf > 0)
        {
            phi = sr / sf;
            invSize = sf2 > 0 ? Math.Max(0, (sr - sf) / sf2) : 0;
            source = "one-step in-sample errors";
        }
        else
        {
            var d = new double[y.Length - 1];
            for (int t = 1; t < y.Length; t++) d[t - 1] = y[t] - y[t - 1];
            double mu = Math.Max(y.Average(), 1e-9), v = SeriesTools.StdDev(d) is var sdd ? sdd * sdd / 2 : 0;
            phi = v / mu;
            invSize = Math.Max(0, (v - mu) / (mu * mu));
            source = "the differenced history";
        }
        // Overdispersed when phi exceeds its Poisson expectation (1) by two standard errors (sqrt(2 / n)).
        bool nb = phi > 1 + 2 * Math.Sqrt(2.0 / Math.Max(cnt, y.Length - 1));
        if (!nb) invSize = 0;
        int h = mean.Length, steps = 0;
        double sd1 = w.Sd.Length > 0 && double.IsFinite(w.Sd[0]) ? w.Sd[0] : 0;
        foreach (var iv in intervals)
        {
            double a = 1 - iv.Level / 100;
            for (int k = 0; k < h; k++)
            {
                double mu = Math.Max(0, mean[k]);
                if (!(mu < CountLevelLimit)) continue;
                double grow = k < w.Sd.Length && double.IsFinite(w.Sd[k]) ? Math.Max(0, w.Sd[k] * w.Sd[k] - sd1 * sd1) : 0;
                double extra = mu * mu * invSize + grow;   // variance above the Poisson variance mu
                iv.Lower[k] = CountQuantile(mu, extra, a / 2);
                iv.Upper[k] = CountQuantile(mu, extra, 1 - a / 2);
                if (iv == intervals[0]) steps++;
            }
        }
        return $"count intervals ({(nb ? "negative binomial" : "Poisson")}, variance/mean {phi:0.##} from {source}, plus the model's variance growth over the horizon) " +
               $"at {steps} of {h} steps with mean below {CountLevelLimit}: integer bounds";
    }

    /// <summary>Smallest integer q with P(Y &lt;= q) &gt;= p for Y with mean mu and variance mu + extra (Poisson when extra = 0, else negative binomial).</summary>
    internal static double CountQuantile(double mu, double extra, double p)
    {
        if (mu <= 0) return 0;
        bool nb = extra > 1e-12 * Math.Max(1, mu);
        double size = nb ? mu * mu / extra : 0, prob = nb ? size / (size + mu) : 0;
        double cdf = 0;
        for (int q = 0; q < 100000; q++)
        {
            cdf += nb ? NegativeBinomial.PMF(size, prob, q) : Poisson.PMF(mu, q);
            if (cdf >= p - 1e-12) return q;
        }
        return 100000;
    }

    private static IReadOnlyDictionary<double, double> Coverage(CandidateRun r, double[] y, SeriesWork w, double[] levels, Calibration? pooled, bool naiveBasis)
    {
        var plan = w.Plan;
        var cov = new Dictionary<double, double>();
        foreach (var level in levels)
        {
            int inside = 0, total = 0;
            for (int j = 0; j < plan.Origins.Length; j++)
            {
                if (r.Fc[j] == null) continue;
                (double Lo, double Hi) q;
                if (pooled != null) q = (0, 0);
                else
                {
                    // Leave origin j out of its own calibration.
                    var others = new List<double>();
                    for (int jj = 0; jj < plan.Origins.Length; jj++)
                    {
                        if (jj == j || r.Fc[jj] is not { } f) continue;
                        for (int k = 0; k < plan.Hb; k++)
                        {
                            double s = Spread(r.Sd[jj]![k], k, w.Scale, naiveBasis);
                            others.Add((y[plan.Origins[jj] + k] - f[k]) / s);
                        }
                    }
                    q = Quantiles(others, level, ShrinkPseudoCount);
                }
                for (int k = 0; k < plan.Hb; k++)
                {
                    var (lo, hi) = pooled != null ? At(pooled, level, k) : q;
                    double s = Spread(r.Sd[j]![k], k, w.Scale, naiveBasis);
                    double e = (y[plan.Origins[j] + k] - r.Fc[j]![k]) / s;
                    if (e >= lo && e <= hi) inside++;
                    total++;
                }
            }
            cov[level] = total == 0 ? double.NaN : inside / (double)total;
        }
        return cov;
    }

    // ---------------------------------------------------------------- global gradient boosting

    private Dictionary<int, IForecastModel> PrecomputeGbm(PreparedSeries[] prepared, BacktestPlan[] plans, int h, ForecastOptions o, bool required, CancellationToken ct, IReadOnlySet<int>? periods = null)
    {
        var result = new Dictionary<int, IForecastModel>();
        foreach (var g in Enumerable.Range(0, prepared.Length).Where(i => !prepared[i].Constant).GroupBy(i => prepared[i].Period))
        {
            if (periods != null && !periods.Contains(g.Key)) continue;
            ct.ThrowIfCancellationRequested();
            var idx = g.ToList();
            if (!required && idx.Count < GlobalMinSeries) continue;
            try
            {
                var finalModel = GbmModel.Train(idx.Select(i => prepared[i].Y).ToList(), g.Key, h, o.Seed);
                var finalFc = finalModel.Predict(idx.Select(i => prepared[i].Y).ToList(), h);
                // One-step in-sample errors (last 24 origins) give each series' residual scale.
                var prefixes = new List<double[]>(); var owner = new List<int>();
                foreach (var (i, pos) in idx.Select((i, pos) => (i, pos)))
                    for (int t = Math.Max(Math.Min(prepared[i].Y.Length - 1, 4), prepared[i].Y.Length - 24); t < prepared[i].Y.Length; t++) { prefixes.Add(prepared[i].Y[..t]); owner.Add(pos); }
                var one = finalModel.Predict(prefixes, 1);
                var sq = new double[idx.Count]; var cnt = new int[idx.Count];
                for (int q = 0; q < prefixes.Count; q++)
                {
                    double e = prepared[idx[owner[q]]].Y[prefixes[q].Length] - one[q][0];
                    sq[owner[q]] += e * e; cnt[owner[q]]++;
                }
                // The backtest model only sees data before each series' first origin, so its backtest is honest.
                var withPlan = idx.Where(i => plans[i].Origins.Length > 0).ToList();
                ct.ThrowIfCancellationRequested();
                Dictionary<int, double[][]> originFc = new();
                if (withPlan.Count > 0)
                {
                    int hb = withPlan.Max(i => plans[i].Hb);
                    var btModel = GbmModel.Train(withPlan.Select(i => prepared[i].Y[..plans[i].Origins.Min()]).ToList(), g.Key, hb, o.Seed);
                    var hist = withPlan.SelectMany(i => plans[i].Origins.Select(t => prepared[i].Y[..t])).ToList();
                    var fc = btModel.Predict(hist, hb);
                    int pos = 0;
                    foreach (var i in withPlan) { originFc[i] = fc.Skip(pos).Take(plans[i].Origins.Length).ToArray(); pos += plans[i].Origins.Length; }
                }
                for (int q = 0; q < idx.Count; q++)
                {
                    int i = idx[q];
                    double sigma = cnt[q] > 0 ? Math.Sqrt(sq[q] / cnt[q]) : double.NaN;
                    result[i] = new PrecomputedModel("gbm", prepared[i].Y.Length, finalFc[q], sigma, plans[i], originFc.GetValueOrDefault(i),
                        new Dictionary<string, double> { ["trainingRows"] = finalModel.TrainingRows, ["seriesInTraining"] = idx.Count, ["sigma"] = sigma },
                        $"Gradient-boosted trees (LightGBM) trained across {idx.Count} series");
                }
            }
            catch (ArgumentException) when (!required) { }
        }
        return result;
    }
}

/// <summary>Rolling origins (number of points used at each origin) and the backtest horizon.</summary>
internal sealed record BacktestPlan(int[] Origins, int Hb)
{
    public static int MinTrain(int period) => Math.Max(Preparation.MinimumLength, period > 1 ? 2 * period : 6);

    public static BacktestPlan Make(int n, int period, int h, int origins)
    {
        int minTrain = MinTrain(period);
        int avail = n - minTrain;
        if (origins <= 0 || avail < 2) return new BacktestPlan(Array.Empty<int>(), 0);
        int hb = Math.Min(h, Math.Max(1, avail * 2 / 3));
        int span = n - hb - minTrain;
        int step = origins > 1 ? Math.Max(1, Math.Min(period > 1 ? Math.Max(1, period / 4) : 1, span / (origins - 1))) : 1;
        var list = new List<int>();
        for (int j = 0; j < origins; j++)
        {
            int t = n - hb - j * step;
            if (t < minTrain) break;
            list.Add(t);
        }
        list.Reverse();
        return new BacktestPlan(list.ToArray(), hb);
    }
}

/// <summary>Forecasts computed elsewhere (a global model) presented through the model interface for one series.</summary>
internal sealed class PrecomputedModel : IForecastModel, IFittedForecast
{
    private readonly int _n;
    private readonly double[] _mean;
    private readonly double _sigma;
    private readonly BacktestPlan _plan;
    private readonly double[][]? _originFc;

    public PrecomputedModel(string name, int n, double[] mean, double sigma, BacktestPlan plan, double[][]? originFc, Dictionary<string, double> parameters, string description)
    {
        Name = name; _n = n; _mean = mean; _sigma = sigma; _plan = plan; _originFc = originFc; Parameters = parameters; Description = description;
        FittedValues = new double[n]; Array.Fill(FittedValues, double.NaN);
        Residuals = (double[])FittedValues.Clone();
        _atLength = n;
    }

    private int _atLength;
    private PrecomputedModel(PrecomputedModel src, int length) : this(src.Name, src._n, src._mean, src._sigma, src._plan, src._originFc, (Dictionary<string, double>)src.Parameters, src.Description)
        => _atLength = length;

    public string Name { get; }
    public IFittedForecast Fit(double[] y, int period)
    {
        if (y.Length == _n) return this;
        int j = Array.IndexOf(_plan.Origins, y.Length);
        if (j < 0 || _originFc == null) throw new ArgumentException($"{Name}: no precomputed forecast from origin {y.Length}.");
        return new PrecomputedModel(this, y.Length);
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
