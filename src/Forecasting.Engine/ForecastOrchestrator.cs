using Forecasting.Engine.Models;

namespace Forecasting.Engine;

/// <summary>
/// Forecasts a batch of series: prepares each, fits the candidate models and backtests them (<see cref="Backtest"/>),
/// chooses one or the combination (<see cref="ModelSelection"/>), calibrates the intervals on rolling-origin errors
/// (<see cref="IntervalCalibrator"/>) and, for small counts, gives integer bounds (<see cref="CountIntervals"/>).
/// </summary>
public sealed class ForecastOrchestrator
{
    /// <summary>Batches with at least this many series of one period pool their interval calibration.</summary>
    public const int PoolMinSeries = IntervalCalibrator.PoolMinSeries;
    /// <summary>"auto" trains the global GBM only for at least this many series of one period (a named "gbm" always).</summary>
    public const int GlobalMinSeries = 20;
    /// <summary>Count interval bounds (Poisson / negative binomial) are used at steps whose mean forecast is below this.</summary>
    public const double CountLevelLimit = CountIntervals.LevelLimit;

    /// <summary>Models "auto" chooses from: the combination of <see cref="CombinationPool"/>, or when that fails the best of these.</summary>
    public IReadOnlyList<string> AutoCandidates { get; init; } = new[] { "naive", "snaive", "drift", "ets", "damped", "theta", "ssa", "gbm" };
    /// <summary>Members of the combination.</summary>
    public IReadOnlyList<string> CombinationPool { get; init; } = new[] { "ets", "damped", "theta" };
    /// <summary>Members of the combination for non-seasonal series (period 1, or too short for seasonal models).</summary>
    public IReadOnlyList<string> NonSeasonalCombinationPool { get; init; } = new[] { "drift", "arima", "ces" };
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
    /// <summary>Settings varied by the accuracy bench; production keeps the defaults.</summary>
    internal OrchestratorExperiments Experiments { get; init; } = new();

    public static IReadOnlyList<string> ModelNames { get; } = new[] { "auto", "naive", "snaive", "drift", "ets", "damped", "theta", "ssa", "gbm", "combination", "croston", "tsb", "arima", "dotm", "ces" };

    /// <summary>Intermittent-demand models that "auto" adds to its candidates for intermittent series only (ADI &gt; 1.32).</summary>
    public static IReadOnlyList<string> IntermittentCandidates { get; } = new[] { "croston", "tsb" };

    private IntervalCalibrator Calibrator => new()
    {
        CalibrationOrigins = Experiments.CalibrationOrigins, EqualSeriesWeights = Experiments.EqualSeriesWeights, NaiveScale = Experiments.NaiveScaleIntervals,
        LocalScaleSeasons = Experiments.LocalScaleSeasons,
    };

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
        var calibrator = Calibrator;
        var plans = prepared.Select(p => BacktestPlan.Make(p.Y.Length, p.Period, h, options.BacktestOrigins)).ToArray();
        bool wantGbm = model == "gbm" || (model == "auto" && options.ScoreAllCandidates && AutoCandidates.Contains("gbm")) || (model is "auto" or "combination" && CombinationPool.Contains("gbm"));
        var gbm = wantGbm ? GlobalModels(prepared, plans, h, options, model == "gbm", ct) : new Dictionary<int, IForecastModel>();

        var work = new SeriesWork[series.Count];
        int done = 0;
        var po = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, MaxDegreeOfParallelism), CancellationToken = ct };
        Parallel.For(0, series.Count, po, i =>
        {
            work[i] = Analyse(prepared[i], plans[i], model, options, gbm.GetValueOrDefault(i), calibrator, ct);
            progress?.Report(Interlocked.Increment(ref done));
        });
        ct.ThrowIfCancellationRequested();
        // Series whose combination failed choose among all of auto's candidates, the global model included: it is
        // trained (across the whole batch, as when every candidate is scored) only when such a series exists.
        var late = Enumerable.Range(0, series.Count).Where(i => work[i].WantsGlobalModel).ToList();
        if (late.Count > 0)
        {
            var lateGbm = GlobalModels(prepared, plans, h, options, false, ct, late.Select(i => prepared[i].Period).ToHashSet());
            Parallel.ForEach(late.Where(lateGbm.ContainsKey), po, i => work[i] = Analyse(prepared[i], plans[i], model, options, lateGbm[i], calibrator, ct));
        }

        var levels = options.EffectiveLevels;
        var results = new ForecastResult[series.Count];
        foreach (var g in Enumerable.Range(0, series.Count).GroupBy(i => prepared[i].DeclaredPeriod))
        {
            var idx = g.ToList();
            // The batch's own scores decide how much recent volatility widens its intervals and, for seasonal batches,
            // how far the pooled quantiles stretch to cover the latest origins.
            var conformal = ConformalCalibration.Fit(idx.Select(i => (IReadOnlyList<ConformalScore>)work[i].Scores).ToList(), levels, calibrator, Experiments.LocalScaleExponent,
                recent: g.Key > 1 && Experiments.RecentOrigins);
            var groupCalibrator = calibrator.WithExponent(conformal.Exponent);
            foreach (int i in idx) work[i].Z = ConformalCalibration.Standardise(work[i].Scores, conformal.Exponent);
            var z = idx.Select(i => work[i].Z).ToList();
            var heldOut = groupCalibrator.PoolHeldOut(z, levels);
            for (int q = 0; q < idx.Count; q++)
                results[idx[q]] = Assemble(prepared[idx[q]], work[idx[q]], levels, conformal.Quantiles, heldOut[q], groupCalibrator, options);
        }
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
        "arima" => new ArimaModel(),
        "dotm" => new DynamicThetaModel(),
        "ces" => new CesModel(),
        _ => null,
    };

    // ---------------------------------------------------------------- per-series analysis

    private sealed class SeriesWork
    {
        public required string Model;
        public required IFittedForecast? Fit;
        public required double[] Mean;
        public required double[] Sd;
        public List<ConformalScore> Scores = new();   // conformal scores from the rolling origins
        public List<double>[] Z = Array.Empty<List<double>>();   // the scores standardised with the batch's exponent, per step
        public BacktestSummary? Backtest;
        public List<CandidateRun> Runs = new();
        public List<string> Notes = new();
        public double Scale;
        public BacktestPlan Plan = new(Array.Empty<int>(), 0);
        /// <summary>"auto" fell back to every candidate without the global model, which was not trained for this batch.</summary>
        public bool WantsGlobalModel;
    }

    /// <summary>The candidate models "auto" or "combination" (or the named model) fits for one series.</summary>
    private List<string> Candidates(string model, int m, bool scoreAll)
    {
        var poolNames = m == 1 ? NonSeasonalCombinationPool : CombinationPool;
        return model switch
        {
            // "auto" keeps the combination whenever it can be formed and backtested, so by default it fits only the
            // combination's members; the other candidates are fitted when asked for or when the combination fails.
            "auto" => (scoreAll ? AutoCandidates : AutoCandidates.Where(poolNames.Contains)).Union(poolNames).ToList(),
            "combination" => poolNames.ToList(),
            _ => new List<string> { model },
        };
    }

    private SeriesWork Analyse(PreparedSeries p, BacktestPlan plan, string model, ForecastOptions o, IForecastModel? gbm, IntervalCalibrator calibrator, CancellationToken ct)
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
        var names = Candidates(model, m, o.ScoreAllCandidates);
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

        if (model is "auto" or "combination")
        {
            var members = runs.Where(r => poolNames.Contains(r.Name)).ToList();
            if (members.Count >= 2) runs.Add(Backtest.Combine(members, y, plan, scale, Experiments.DispersionWeight));
            else if (model == "combination") notes.Add("fewer than two models available: combination replaced by the best single model");

            // Fallback: without a usable combination "auto" chooses among all its candidates, so fit the rest now.
            var formed = runs.FirstOrDefault(r => r.Name == "combination");
            if (model == "auto" && !o.ScoreAllCandidates && (formed == null || (backtested && !ModelSelection.Scored(formed))))
            {
                FitCandidates(AutoCandidates.Where(c => !names.Contains(c) && !(m == 1 && c == "snaive") && !(c == "gbm" && gbm == null)).ToList());
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
            runs.Add(new CandidateRun { Name = "naive", Full = new NaiveModel().Fit(y, 1) });
        }

        var chosen = model is "auto" or "combination"
            ? ModelSelection.Choose(runs, model == "combination", backtested, intermittent ? IntermittentCandidates : Array.Empty<string>())
            : runs[0];
        if (intermittent) notes.Add($"intermittent series (ADI {IntermittentModel.Adi(y):0.##} > {IntermittentModel.AdiThreshold}): {string.Join(" and ", IntermittentCandidates)} added to the candidates");
        if (model == "auto")
            notes.Add(backtested
                ? $"auto chose {chosen.Name} ({chosen.Full.Description}) by backtest MASE {chosen.Score!.Mase:0.###} over {plan.Origins.Length} origins"
                : $"auto chose {chosen.Name} ({chosen.Full.Description}) without backtest");

        var work = new SeriesWork
        {
            Model = chosen.Name, Fit = chosen.Full, Mean = chosen.Full.Forecast(h), Sd = chosen.Full.ForecastStdDev(h),
            Runs = runs, Notes = notes, Scale = scale, Plan = plan, WantsGlobalModel = wantsGlobal,
        };
        if (backtested)
        {
            // Calibration refits keep the form chosen on all the data, except where the selection is repeated at every
            // origin (non-seasonal series, or every series as an experiment).
            IForecastModel refit = chosen.Full.Frozen;
            if (Experiments.CalibrationReselect || Reselects(m))
            {
                var fresh = (chosen.Name == "combination" ? chosen.Members : new[] { chosen.Name }).Select(nm => Create(nm, m)).ToList();
                if (fresh.All(x => x != null)) refit = fresh.Count == 1 ? fresh[0]! : new CombinationModel(fresh!, Experiments.DispersionWeight);
            }
            work.Scores = calibrator.Scores(chosen, refit, y, m, h, plan, scale, ct);
            work.Backtest = new BacktestSummary(plan.Origins.Length, plan.Hb, chosen.Score!, runs.Where(r => r.Score != null).Select(r => r.Score!).ToList());
        }
        return work;

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
                    // Create gives the model with its own selection (null for the global GBM, which keeps its fit).
                    var refit = Reselects(m) ? Create(name, m) : null;
                    runs.Add(Backtest.Run(name, full, y, m, plan, scale, ct, refit));
                }
                catch (ArgumentException e)
                {
                    notes.Add($"{name} skipped: {e.Message}");
                }
            }
        }
    }

    private bool Reselects(int m) => m == 1 && Experiments.ReselectNonSeasonal;

    // ---------------------------------------------------------------- assembly

    private static ForecastResult Assemble(PreparedSeries p, SeriesWork w, double[] levels, Calibration? pooled, Calibration? pooledHeldOut,
        IntervalCalibrator calibrator, ForecastOptions o)
    {
        var notes = new List<string>(p.Notes);
        notes.AddRange(w.Notes);
        Calibration? cal = null;
        if (w.Z.Length > 0) cal = pooled ?? IntervalCalibrator.Local(w.Z, levels);
        if (cal != null) notes.Add(cal.Source);
        if (cal != null && calibrator.Exponent > 0 && p.Period > 1)
            notes.Add($"local scale: model sd x (recent / earlier seasonal change)^{calibrator.Exponent:0.###}, the exponent fitted on the batch's scores");

        var mean = (double[])w.Mean.Clone();
        var intervals = calibrator.Intervals(mean, w.Sd, w.Scale, levels, cal, p.Constant, calibrator.LocalScale(p.Y, p.Y.Length, p.Period));
        if (p.NonNegative)
        {
            bool clamped = false;
            for (int k = 0; k < mean.Length; k++) if (mean[k] < 0) { mean[k] = 0; clamped = true; }
            foreach (var iv in intervals)
                for (int k = 0; k < mean.Length; k++)
                {
                    if (iv.Lower[k] < 0) { iv.Lower[k] = 0; }
                    if (iv.Upper[k] < 0) { iv.Upper[k] = 0; clamped = true; }
                }
            if (clamped) notes.Add("negative forecasts clamped at 0 (NonNegative)");
        }

        if (p.Count && !p.Constant && w.Fit != null && mean.Any(v => v < CountIntervals.LevelLimit))
            notes.Add(CountIntervals.Apply(p.Y, w.Fit, w.Sd, mean, intervals));

        BacktestSummary? bt = null;
        if (w.Backtest != null)
        {
            // Coverage of each candidate's calibrated intervals, out of sample: pooled quantiles from other series,
            // or this series' quantiles from its other origins.
            var scores = w.Runs.Where(r => r.Score != null)
                .Select(r => r.Score! with { Coverage = calibrator.Coverage(r, p.Y, p.Period, w.Plan, w.Scale, levels, pooled != null ? pooledHeldOut : null) }).ToList();
            bt = w.Backtest with { Candidates = scores, Chosen = scores.First(s => s.Model == w.Model) };
        }
        var parameters = new Dictionary<string, double>(w.Fit?.Parameters ?? new Dictionary<string, double>());
        if (w.Fit != null) notes.Insert(0, $"{w.Model}: {w.Fit.Description}");
        return new ForecastResult(w.Model, parameters, mean, intervals, bt, notes) { Residuals = w.Fit?.Residuals ?? Array.Empty<double>() };
    }

    // ---------------------------------------------------------------- global gradient boosting

    /// <summary>The global GBM per series, one training per period group (groups below <see cref="GlobalMinSeries"/> only when required).</summary>
    private static Dictionary<int, IForecastModel> GlobalModels(PreparedSeries[] prepared, BacktestPlan[] plans, int h, ForecastOptions o, bool required, CancellationToken ct, IReadOnlySet<int>? periods = null)
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
                var models = GbmModel.ForBatch(idx.Select(i => prepared[i].Y).ToList(), idx.Select(i => plans[i]).ToList(), g.Key, h, o.Seed, ct);
                for (int q = 0; q < idx.Count; q++) result[idx[q]] = models[q];
            }
            catch (ArgumentException) when (!required) { }
        }
        return result;
    }
}

/// <summary>Settings the accuracy bench varies in experiments; production uses the defaults.</summary>
internal sealed record OrchestratorExperiments
{
    /// <summary>Further rolling origins, spread over the history, at which the chosen model is refitted only for calibration.</summary>
    public int CalibrationOrigins { get; init; } = 12;
    /// <summary>Pooled calibration gives every series the same weight at each step (instead of every error).</summary>
    public bool EqualSeriesWeights { get; init; } = true;
    /// <summary>At calibration origins, repeat the model selection (ETS form) on the data before the origin.</summary>
    public bool CalibrationReselect { get; init; }
    /// <summary>Standardise errors by the series' in-sample naive MAE instead of the model's h-step sd.</summary>
    public bool NaiveScaleIntervals { get; init; }
    /// <summary>Weight c of the members' disagreement in the combination's spread (<see cref="CombinationModel.Spread"/>).</summary>
    public double DispersionWeight { get; init; } = 0;
    /// <summary>Seasons of recent history behind a seasonal series' volatility ratio (<see cref="IntervalCalibrator.LocalRatio"/>; 0 = none).</summary>
    public int LocalScaleSeasons { get; init; } = 3;
    /// <summary>Exponent of the volatility ratio in the local scale; null = fitted on each batch (<see cref="ConformalCalibration.FitExponent"/>).</summary>
    public double? LocalScaleExponent { get; init; }
    /// <summary>
    /// Seasonal batches rescale their pooled quantiles to cover each series' latest calibration origin at the nominal
    /// rate (<see cref="ConformalCalibration.RecentFactor"/>); non-seasonal batches, whose forms are re-selected at every
    /// origin, do not (it over-covered the M1 yearly holdout and under-covered the simulated yearly series).
    /// </summary>
    public bool RecentOrigins { get; init; } = true;
    /// <summary>
    /// Non-seasonal series repeat each candidate's selection (ARIMA order, ETS form) on the data before every backtest
    /// and calibration origin, so their errors there are out of sample as the final forecast's will be; seasonal
    /// series keep the form chosen on all the data (their searches cost too much to repeat 18 times).
    /// </summary>
    public bool ReselectNonSeasonal { get; init; } = true;
}
