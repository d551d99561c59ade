using System.Globalization;
using System.Text.RegularExpressions;

namespace Forecasting.Planning;

/// <summary>
/// The data as it was known on an earlier date, where the store keeps only today's version of a row. Each rule that
/// stands in for a record the data does not keep is named in <see cref="Substitutions"/> (and so in the baseline and
/// in every backtest result).
/// </summary>
public static partial class AsKnown
{
    /// <summary>
    /// Status given to a pipeline scheme whose status on the date is not recorded (its status date is later), by the
    /// months from the date to its expected date: a scheme close to delivery is usually firm. The rule does not look
    /// at what became of the scheme.
    /// </summary>
    public static string StatusByLeadTime(int monthsToExpected) => monthsToExpected switch
    {
        <= 12 => PipelineStatuses.Confirmed,
        <= 24 => PipelineStatuses.InProcurement,
        <= 36 => PipelineStatuses.ReasonableConfidence,
        <= 60 => PipelineStatuses.InDiscussion,
        _ => PipelineStatuses.Identified,
    };

    public const string StatusRule =
        "pipeline status before its status date is not in the data: treated by months to the expected date as confirmed (up to 12), " +
        "in_procurement (13-24), reasonable_confidence (25-36), in_discussion (37-60), identified (over 60)";

    public const string ExpectedDateRule =
        "pipeline expected dates are today's: for a delivered scheme the recorded expected date is its opening date, so its slippage is not tested";

    /// <summary>
    /// Delivered pipeline rows matched to the schemes they became: the scheme of the same name (case and spacing
    /// ignored), else the only scheme of the same client group opened on the row's status or expected date.
    /// </summary>
    public static IReadOnlyList<PipelineOutcome> Outcomes(IReadOnlyList<PipelineScheme> pipeline, IReadOnlyList<SchemeStock> schemes)
    {
        var used = new HashSet<string>();
        var result = new List<PipelineOutcome>();
        foreach (var p in pipeline)
        {
            SchemeStock? match = null;
            if (p.Status == PipelineStatuses.Delivered)
            {
                match = schemes.FirstOrDefault(s => !used.Contains(s.SchemeId) && Same(s.Name, p.Name));
                if (match is null)
                {
                    var byDate = schemes.Where(s => !used.Contains(s.SchemeId) && s.ClientGroup == p.ClientGroup
                        && (s.OpenedDate == p.StatusDate || s.OpenedDate == p.ExpectedDate)).ToList();
                    if (byDate.Count == 1) match = byDate[0];
                }
                if (match is not null) used.Add(match.SchemeId);
            }
            result.Add(new PipelineOutcome(p, match?.SchemeId, match?.OpenedDate));
        }
        return result;
    }

    private static bool Same(string a, string b) =>
        string.Equals(Spaces().Replace(a.Trim(), " "), Spaces().Replace(b.Trim(), " "), StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>
    /// The pipeline and schemes as known on <paramref name="date"/>: a scheme that opened after the date is pipeline
    /// (when a delivered pipeline row matches it) or unknown (left out); a pipeline row whose status date is after the
    /// date gets the status of <see cref="StatusByLeadTime"/> (a delivered one that opened by the date stays delivered).
    /// </summary>
    public static (IReadOnlyList<PipelineScheme> Pipeline, IReadOnlyList<SchemeStock> Schemes, IReadOnlyList<string> Substitutions) Supply(
        IReadOnlyList<PipelineScheme> pipeline, IReadOnlyList<SchemeStock> schemes, DateOnly date)
    {
        var outcomes = Outcomes(pipeline, schemes);
        var matched = outcomes.Where(o => o.SchemeId is not null).ToDictionary(o => o.SchemeId!, o => o);
        var notes = new List<string>();
        var known = new List<PipelineScheme>();
        var substituted = new List<string>();
        foreach (var o in outcomes)
        {
            var p = o.Scheme;
            // A delivered status recorded before its scheme opened is not yet supply on the date: treated as unknown.
            var openedLater = p.Status == PipelineStatuses.Delivered && o.OpenedDate > date;
            if (p.StatusDate is { } sd && sd <= date && !openedLater) { known.Add(p); continue; }
            if (p.Status == PipelineStatuses.Delivered && o.OpenedDate is { } opened && opened <= date) { known.Add(p); continue; }
            var months = MonthIndex.Of(p.ExpectedDate) - MonthIndex.Of(date);
            var status = StatusByLeadTime(months);
            known.Add(p with { Status = status, StatusDate = null });
            substituted.Add($"{p.PipelineId} {status}");
        }
        if (substituted.Count > 0)
        {
            notes.Add($"{StatusRule} ({string.Join(", ", substituted)})");
            if (outcomes.Any(o => o.SchemeId is not null && o.OpenedDate > date)) notes.Add(ExpectedDateRule);
        }

        var kept = new List<SchemeStock>();
        var unknown = new List<string>();
        foreach (var s in schemes)
        {
            if (s.OpenedDate <= date) { kept.Add(s); continue; }
            if (!matched.ContainsKey(s.SchemeId)) unknown.Add($"{s.SchemeId} ({s.OpenedDate:yyyy-MM-dd})");
        }
        if (matched.Values.Any(o => o.OpenedDate > date))
            notes.Add("schemes opened after the date that a delivered pipeline row matches are counted as that pipeline row, not as known schemes ("
                + string.Join(", ", matched.Values.Where(o => o.OpenedDate > date).Select(o => $"{o.Scheme.PipelineId} = {o.SchemeId}")) + ")");
        if (unknown.Count > 0)
            notes.Add("schemes opened after the date and not in the pipeline were not known then and are left out: " + string.Join(", ", unknown));
        var closing = kept.Where(s => s.DecommissionDate > date).Select(s => $"{s.SchemeId} {s.DecommissionDate:yyyy-MM-dd}").ToList();
        if (closing.Count > 0)
            notes.Add("closure dates are today's: planned closures after the date are taken as known then (" + string.Join(", ", closing) + ")");
        return (known, kept, notes);
    }

    /// <summary>Mid-year estimates for year Y are taken as published on 1 July of Y + 1.</summary>
    public static DateOnly EstimatePublished(int year) => new(year + 1, 7, 1);

    /// <summary>
    /// A subnational projection based on year N is taken as published on 1 July of N + 2 (about when the national
    /// statistics office has released them).
    /// </summary>
    public static DateOnly ProjectionPublished(int baseYear) => new(baseYear + 2, 7, 1);

    /// <summary>Years of known estimates a substitute projection's trend is fitted on.</summary>
    public const int TrendYears = 5;

    /// <summary>Years ahead a substitute projection runs.</summary>
    public const int TrendHorizonYears = 15;

    /// <summary>
    /// The population as known on <paramref name="date"/>: estimates of the mid-years published by then (from
    /// whichever vintage the data holds); projections published by then. Without a published projection, a substitute
    /// "principal" projection continues the least-squares line through the last <see cref="TrendYears"/> known
    /// estimates of each age group.
    /// </summary>
    public static (IReadOnlyList<PopulationPoint> Population, IReadOnlyList<string> Substitutions) Population(
        IReadOnlyList<PopulationPoint> rows, DateOnly date)
    {
        var notes = new List<string>();
        var kept = new List<PopulationPoint>();
        var estimates = rows.Where(r => r.Variant == PopulationVariants.Estimate && EstimatePublished(r.Year) <= date).ToList();
        kept.AddRange(estimates);
        foreach (var source in estimates.Select(r => r.Source).Distinct().Order(StringComparer.Ordinal))
            if (VintageYear(source, based: false) is { } y && EstimatePublished(y) > date)
                notes.Add($"population estimates from the '{source}' vintage (published after {date:yyyy-MM-dd}) stand in for the vintage known then, " +
                    $"for mid-years up to {estimates.Where(r => r.Source == source).Max(r => r.Year)}");

        var projections = rows.Where(r => r.Variant != PopulationVariants.Estimate).ToList();
        var published = projections.Where(r => VintageYear(r.Source, based: true) is not { } n || ProjectionPublished(n) <= date).ToList();
        kept.AddRange(published);
        var unpublished = projections.Select(r => r.Source).Except(published.Select(r => r.Source)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (unpublished.Count > 0 && !published.Any(r => r.Variant == PopulationVariants.Principal))
        {
            var trend = Trend(estimates, date);
            kept.AddRange(trend);
            var years = estimates.Select(r => r.Year).Distinct().Order().TakeLast(TrendYears).ToList();
            notes.Add(trend.Count > 0
                ? $"population projection: {string.Join(", ", unpublished)} was not published by {date:yyyy-MM-dd}; " +
                  $"the principal variant is the straight-line trend of the estimates {years.First()}-{years.Last()} known then ('{trend[0].Source}')"
                : $"population projection: {string.Join(", ", unpublished)} was not published by {date:yyyy-MM-dd} and no estimates were known then; " +
                  "need arising is not scaled by population");
        }
        return (kept, notes);
    }

    private static List<PopulationPoint> Trend(IReadOnlyList<PopulationPoint> estimates, DateOnly date)
    {
        var result = new List<PopulationPoint>();
        foreach (var age in estimates.Select(r => r.AgeGroup).Distinct().Order())
        {
            var source = estimates.Where(r => r.AgeGroup == age).Select(r => r.Source).Max(StringComparer.Ordinal)!;
            var points = estimates.Where(r => r.AgeGroup == age && r.Source == source).OrderBy(r => r.Year).TakeLast(TrendYears).ToList();
            if (points.Count == 0) continue;
            double mx = points.Average(p => p.Year), my = points.Average(p => p.Population);
            var sxx = points.Sum(p => (p.Year - mx) * (p.Year - mx));
            var slope = sxx > 0 ? points.Sum(p => (p.Year - mx) * (p.Population - my)) / sxx : 0;
            var name = string.Create(CultureInfo.InvariantCulture, $"trend of {source} {points[0].Year}-{points[^1].Year} (substitute)");
            var last = points[^1].Year;
            for (var y = last; y <= last + TrendHorizonYears; y++)
                result.Add(new PopulationPoint(PopulationVariants.Principal, name, y, age, Math.Max(0, my + slope * (y - mx))));
        }
        return result;
    }

    /// <summary>The vintage year of a population source: N of "N-based" for projections, the last four-digit year for estimates.</summary>
    public static int? VintageYear(string source, bool based)
    {
        var m = based ? Regex.Match(source, @"(\d{4})-based") : Regex.Match(source, @"(\d{4})(?!.*\d{4})");
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }
}
