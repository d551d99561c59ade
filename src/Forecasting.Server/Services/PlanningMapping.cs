using Forecasting.Analytics;
using Forecasting.Domain;
using Forecasting.Planning;
using Google.Protobuf.WellKnownTypes;
using Proto = Forecasting.Contracts.V1;

namespace Forecasting.Server.Services;

/// <summary>Translation between planning messages and the planning domain.</summary>
public static class PlanningMapping
{
    public static ScenarioLevers ToDomain(Proto.ScenarioLevers? levers)
    {
        if (levers is null) return ScenarioLevers.Baseline;
        return new ScenarioLevers
        {
            PopulationVariant = ProtoMapping.NullIfEmpty(levers.PopulationVariant),
            ExtraPopulationGrowthPct = levers.ExtraPopulationGrowthPct,
            AdmissionDiversionPct = levers.AdmissionDiversionPct,
            ResidentialToSlMovesPerYear = levers.HasResidentialToSlMovesPerYear ? levers.ResidentialToSlMovesPerYear : null,
            TransitionsCohortMultiplier = levers.TransitionsCohortMultiplier,
            TransitionsSlShare = levers.HasTransitionsSlShare ? levers.TransitionsSlShare : null,
            DeliveryProbability = levers.DeliveryProbability.Count == 0 ? null : levers.DeliveryProbability.ToDictionary(),
            Slippage = levers.Slippage.Count == 0 ? null : levers.Slippage.Select(s => new SchemeSlippage(s.PipelineId, s.Months)).ToList(),
            NewSchemes = levers.NewSchemes.Count == 0
                ? null
                : levers.NewSchemes.Select((n, i) => new NewScheme(
                    n.Name, n.Units, n.Category, n.ClientGroup,
                    ProtoMapping.ParseDate(n.ExpectedDate, $"levers.new_schemes[{i}].expected_date")
                        ?? throw new InvalidArgumentException($"levers.new_schemes[{i}].expected_date", "an expected date is required"),
                    ProtoMapping.NullIfEmpty(n.Status),
                    n.HasInArea ? n.InArea : null)).ToList(),
            CancelledSchemes = levers.CancelledSchemes.Count == 0 ? null : levers.CancelledSchemes.ToList(),
            VoidRate = levers.HasVoidRate ? levers.VoidRate : null,
            SharedLivesPlacementsPerYear = levers.SharedLivesPlacementsPerYear,
            DirectPaymentShareChange = levers.DirectPaymentShareChange,
            SchemeOverrides = levers.SchemeOverrides.Count == 0
                ? null
                : levers.SchemeOverrides.Select((o, i) => new SchemeOverride(
                    o.PipelineId, ProtoMapping.NullIfEmpty(o.Status), o.HasProbability ? o.Probability : null, o.HasUnits ? o.Units : null,
                    ProtoMapping.ParseDate(o.ExpectedDate, $"levers.scheme_overrides[{i}].expected_date"))).ToList(),
            StrategyId = ProtoMapping.NullIfEmpty(levers.StrategyId),
            StrategyVersion = levers.StrategyVersion == 0 ? null : levers.StrategyVersion,
            IncludeOutOfArea = levers.IncludeOutOfArea,
            NetDeliveredUnits = levers.NetDeliveredUnits,
            StartFy = levers.StartFy == 0 ? null : levers.StartFy,
            EndFy = levers.EndFy == 0 ? null : levers.EndFy,
            ClientGroups = levers.ClientGroups.Count == 0 ? null : levers.ClientGroups.ToList(),
            PipelineMinStatus = levers.HasPipelineMinStatus ? levers.PipelineMinStatus : null,
        };
    }

    public static Proto.ScenarioLevers ToProto(ScenarioLevers levers)
    {
        var proto = new Proto.ScenarioLevers
        {
            PopulationVariant = levers.PopulationVariant ?? "",
            ExtraPopulationGrowthPct = levers.ExtraPopulationGrowthPct,
            AdmissionDiversionPct = levers.AdmissionDiversionPct,
            TransitionsCohortMultiplier = levers.TransitionsCohortMultiplier,
            SharedLivesPlacementsPerYear = levers.SharedLivesPlacementsPerYear,
            DirectPaymentShareChange = levers.DirectPaymentShareChange,
            StrategyId = levers.StrategyId ?? "",
            StrategyVersion = levers.StrategyVersion ?? 0,
            IncludeOutOfArea = levers.IncludeOutOfArea,
            NetDeliveredUnits = levers.NetDeliveredUnits,
            StartFy = levers.StartFy ?? 0,
            EndFy = levers.EndFy ?? 0,
        };
        if (levers.SchemeOverrides is { } overrides)
            proto.SchemeOverrides.AddRange(overrides.Select(o =>
            {
                var change = new Proto.SchemeOverride
                {
                    PipelineId = o.PipelineId, Status = o.Status ?? "",
                    ExpectedDate = o.ExpectedDate is { } d ? FinancialCalendar.Iso(d) : "",
                };
                if (o.Probability is { } p) change.Probability = p;
                if (o.Units is { } u) change.Units = u;
                return change;
            }));
        if (levers.ResidentialToSlMovesPerYear is { } m) proto.ResidentialToSlMovesPerYear = m;
        if (levers.TransitionsSlShare is { } t) proto.TransitionsSlShare = t;
        if (levers.VoidRate is { } v) proto.VoidRate = v;
        if (levers.PipelineMinStatus is { } p) proto.PipelineMinStatus = p;
        if (levers.DeliveryProbability is { } d) proto.DeliveryProbability.Add(d);
        if (levers.Slippage is { } s) proto.Slippage.AddRange(s.Select(x => new Proto.SchemeSlippage { PipelineId = x.PipelineId, Months = x.Months }));
        if (levers.NewSchemes is { } n)
            proto.NewSchemes.AddRange(n.Select(x =>
            {
                var scheme = new Proto.NewScheme
                {
                    Name = x.Name, Units = x.Units, Category = x.Category, ClientGroup = x.ClientGroup,
                    ExpectedDate = FinancialCalendar.Iso(x.ExpectedDate), Status = x.Status ?? "",
                };
                if (x.InArea is { } inArea) scheme.InArea = inArea;
                return scheme;
            }));
        if (levers.CancelledSchemes is { } cancelled) proto.CancelledSchemes.AddRange(cancelled);
        if (levers.ClientGroups is { } groups) proto.ClientGroups.AddRange(groups);
        return proto;
    }

    public static Proto.Scenario ToProto(Scenario scenario) => new()
    {
        ScenarioId = scenario.ScenarioId,
        CouncilCode = scenario.CouncilCode,
        Name = scenario.Name,
        Description = scenario.Description ?? "",
        Revision = scenario.Revision,
        Levers = ToProto(scenario.Levers),
        Author = scenario.Author,
        CreatedAt = Timestamp.FromDateTimeOffset(scenario.CreatedAt),
        Deleted = scenario.Deleted,
    };

    public static Proto.Strategy ToProto(string council, StrategyVersion v)
    {
        var proto = new Proto.Strategy
        {
            CouncilCode = council,
            StrategyId = v.StrategyId,
            Version = v.Version,
            Name = v.Name,
            StartFy = v.StartFy,
            EndFy = v.EndFy,
            ClientGroup = v.ClientGroup ?? "",
            Author = v.Author,
            Reason = v.Reason,
            CreatedAt = Timestamp.FromDateTimeOffset(v.CreatedAt),
            TotalTarget = v.TotalTarget,
        };
        var cumulative = 0;
        foreach (var phase in v.Phases.OrderBy(p => p.StartFy))
        {
            cumulative += phase.UnitTarget;
            proto.Phases.Add(new Proto.StrategyPhase
            {
                Name = phase.Phase, StartFy = phase.StartFy, EndFy = phase.EndFy, UnitTarget = phase.UnitTarget, CumulativeTarget = cumulative,
            });
        }
        proto.Targets.AddRange(v.Targets.Select(t => new Proto.StrategyTarget { ClientGroup = t.ClientGroup, Fy = t.Fy ?? 0, UnitTarget = t.UnitTarget }));
        return proto;
    }

    /// <summary>A requested target: an empty client group is "all", fy 0 the whole strategy period.</summary>
    public static StrategyTarget FromProto(Proto.StrategyTarget t) =>
        new(string.IsNullOrEmpty(t.ClientGroup) ? ClientGroups.All : t.ClientGroup, t.Fy == 0 ? null : t.Fy, t.UnitTarget);

    public static Proto.ScenarioResult ToProto(PlanningResult result, bool withYears = true)
    {
        var basis = result.Projection.Basis;
        var proto = new Proto.ScenarioResult
        {
            ResultId = result.ResultId,
            ScenarioId = result.ScenarioId ?? "",
            Revision = result.ScenarioRevision ?? 0,
            ScenarioName = result.ScenarioName,
            CouncilCode = result.CouncilCode,
            StrategyId = result.Projection.StrategyId ?? "",
            StrategyVersion = result.Projection.StrategyVersion ?? 0,
            SnapshotId = result.SnapshotId ?? "",
            ForecastRunId = result.ForecastRunId,
            Seed = result.Seed,
            Draws = result.Draws,
            CreatedAt = Timestamp.FromDateTimeOffset(result.CreatedAt),
            Levers = ToProto(result.Levers),
            Seconds = result.Seconds,
            AsOf = FinancialCalendar.Iso(result.AsOf),
            SimulationMethod = result.Simulation?.Method ?? "",
            HeadlineStatistic = result.Projection.Headline,
            Basis = new Proto.CountingBasis
            {
                Description = basis.Description,
                IncludeOutOfArea = basis.IncludeOutOfArea,
                NetDeliveredUnits = basis.NetDelivered,
                SupplyFromDate = FinancialCalendar.Iso(basis.AsOf),
                VoidRate = basis.VoidRateIsTarget ? result.Levers.VoidRate ?? 0 : 0,
                PipelineCounting = basis.PipelineCounting == PipelineCounting.StatusThreshold ? "status_threshold" : "probability_weighted",
            },
        };
        proto.Basis.VoidRates.Add(basis.VoidRates.ToDictionary());
        proto.Basis.DeliveryProbability.Add(basis.PipelineCounting == PipelineCounting.StatusThreshold
            ? basis.DeliveryProbabilities.Keys.ToDictionary(s => s, basis.PipelineWeight)
            : basis.DeliveryProbabilities.ToDictionary());
        proto.Warnings.AddRange(result.Projection.Warnings);
        if (!withYears) return proto;
        foreach (var y in result.Years())
        {
            var row = new Proto.YearResult
            {
                Fy = y.Fy,
                FyLabel = y.FyLabel,
                ClientGroup = y.ClientGroup,
                Demand = y.Demand,
                Supply = y.Supply,
                ShortfallInYear = y.ShortfallInYear,
                ShortfallCumulative = y.ShortfallCumulative,
                TargetCumulative = y.TargetCumulative ?? 0,
            };
            row.DemandComponents.Add(y.DemandComponents.ToDictionary());
            row.Flows.Add(y.Flows.ToDictionary());
            row.SumOfGroupGaps = y.SumOfGroupGaps;
            row.Reconciliation.AddRange(y.Reconciliation.Select(r => new Proto.StockReconciliation
            {
                Stock = r.Stock, Opening = r.Opening, Inflows = r.Inflows, Outflows = r.Outflows, Closing = r.Closing,
            }));
            row.Measures.AddRange(y.Measures.Select(m => new Proto.MeasureDistribution { Measure = m.Measure, Mean = m.Mean, P10 = m.P10, P50 = m.P50, P90 = m.P90 }));
            row.SupplyComponents.Add(y.SupplyComponents.ToDictionary());
            if (y.ShortfallDistribution is { } d)
                row.ShortfallDistribution = new Proto.Distribution { P10 = d.P10, P50 = d.P50, P90 = d.P90, Mean = d.Mean, ProbabilityPositive = d.ProbabilityPositive };
            proto.Years.Add(row);
        }
        proto.Targets.AddRange(result.Projection.Targets.Select(t => new Proto.TargetComparison
        {
            Fy = t.Fy,
            FyLabel = FinancialCalendar.FinancialYearLabel(t.Fy),
            Phase = t.Phase ?? "",
            CumulativeTargetDue = t.ClientGroup is null ? (int)t.CumulativeTargetDue : t.PhaseTargetsEnded,
            DeliveredToDate = t.DeliveredToDate,
            DeliveredNetted = t.DeliveredNetted,
            PipelineCounted = t.PipelineCounted,
            RemainingRequirement = t.RemainingRequirement,
            DemandShortfall = t.DemandShortfall,
            Statement = t.Statement,
            ClientGroup = t.ClientGroup ?? result.Projection.StrategyClientGroup ?? ClientGroups.All,
            Surplus = t.Surplus,
            TargetDue = t.CumulativeTargetDue,
            TargetInYear = t.TargetInYear,
        }));
        return proto;
    }

    public static Proto.PlanningBacktest ToProto(PlanningBacktestResult backtest)
    {
        var proto = new Proto.PlanningBacktest
        {
            CouncilCode = backtest.CouncilCode, SnapshotId = backtest.SnapshotId ?? "", End = FinancialCalendar.Iso(backtest.End),
            Draws = backtest.Draws, Seed = backtest.Seed, Method = backtest.Method,
        };
        proto.Rows.AddRange(backtest.Rows.Select(r => new Proto.PlanningBacktestRow
        {
            Origin = FinancialCalendar.Iso(r.Origin), Fy = r.Fy, FyLabel = FinancialCalendar.FinancialYearLabel(r.Fy), ClientGroup = r.ClientGroup,
            Measure = r.Measure, Actual = r.Actual, Mean = r.Mean, P10 = r.P10, P50 = r.P50, P90 = r.P90, InsideP10P90 = r.InsideP10P90,
        }));
        proto.Summary.AddRange(backtest.Summary.Select(s => new Proto.PlanningBacktestSummary
        {
            Measure = s.Measure, Rows = s.Rows, CoverageP10P90 = s.CoverageP10P90, WeightedAbsolutePercentageError = s.WeightedAbsolutePercentageError,
        }));
        return proto;
    }

    public static Proto.ScenarioComparison ToProto(ScenarioComparison comparison)
    {
        var proto = new Proto.ScenarioComparison { Baseline = ToProto(comparison.Baseline) };
        proto.Results.AddRange(comparison.Results.Select(r => ToProto(r)));
        proto.Rows.AddRange(comparison.Rows.Select(r => new Proto.ComparisonRow
        {
            Fy = r.Fy,
            FyLabel = r.FyLabel,
            ClientGroup = r.ClientGroup,
            ScenarioId = r.ScenarioId ?? "",
            ScenarioName = r.ScenarioName,
            Demand = r.Demand,
            Supply = r.Supply,
            ShortfallCumulative = r.ShortfallCumulative,
            ShortfallP50 = r.ShortfallP50 ?? double.NaN,
            DeltaVsBaseline = r.DeltaVsBaseline,
            ProbabilityPositive = r.ProbabilityPositive ?? double.NaN,
        }));
        return proto;
    }
}
