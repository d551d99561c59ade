using Forecasting.Store.Analytics;
using Forecasting.Domain;
using Forecasting.Planning;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Proto = Forecasting.Contracts.V1;

namespace Forecasting.Server.Services;

/// <summary>Translation between planning messages and the planning domain.</summary>
public static class PlanningMapping
{
    // Levers cross the wire in one form: the message's JSON (proto field names) is the domain's JSON, so a lever
    // added to both needs no mapping here. A test checks that the two name the same fields.
    private static readonly JsonFormatter LeverFormatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));
    private static readonly JsonParser LeverParser = new(JsonParser.Settings.Default);

    public static ScenarioLevers ToDomain(Proto.ScenarioLevers? levers) =>
        levers is null ? ScenarioLevers.Baseline : ScenarioJson.Deserialize<ScenarioLevers>(LeverFormatter.Format(levers));

    public static Proto.ScenarioLevers ToProto(ScenarioLevers levers) =>
        LeverParser.Parse<Proto.ScenarioLevers>(ScenarioJson.Serialize(levers));

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

    public static Proto.Publication ToProto(Application.Planning.PublishedResult published) => new()
    {
        PublicationId = published.Publication.PublicationId,
        ResultId = published.Publication.ResultId,
        CouncilCode = published.Publication.CouncilCode,
        ScenarioId = published.Publication.ScenarioId ?? "",
        ScenarioName = published.Result.ScenarioName,
        Label = published.Publication.Label,
        PublishedBy = published.Publication.PublishedBy,
        PublishedAt = Timestamp.FromDateTimeOffset(published.Publication.PublishedAt),
        Draws = published.Result.Draws,
        Seed = published.Result.Seed,
        SnapshotId = published.Result.SnapshotId ?? "",
    };

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
                TargetPipelineMinStatus = basis.TargetMinimumStatus ?? "",
                TargetDescription = basis.TargetDescription,
            },
        };
        proto.Basis.VoidRates.Add(basis.VoidRates.ToDictionary());
        proto.Basis.DeliveryProbability.Add(basis.PipelineCounting == PipelineCounting.StatusThreshold
            ? basis.DeliveryProbabilities.Keys.ToDictionary(s => s, basis.PipelineWeight)
            : basis.DeliveryProbabilities.ToDictionary());
        proto.Warnings.AddRange(result.Projection.Warnings);
        proto.CostBasis = ToProto(result.Projection.Costs, result);
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
            row.SumOfGroupSurpluses = y.SumOfGroupSurpluses;
            row.MonthsCovered = y.MonthsCovered;
            row.Reconciliation.AddRange(y.Reconciliation.Select(r => new Proto.StockReconciliation
            {
                Stock = r.Stock, Opening = r.Opening, Inflows = r.Inflows, Outflows = r.Outflows, Closing = r.Closing,
            }));
            row.Measures.AddRange(y.Measures.Select(m => new Proto.MeasureDistribution { Measure = m.Measure, Mean = m.Mean, P10 = m.P10, P50 = m.P50, P90 = m.P90 }));
            row.SupplyComponents.Add(y.SupplyComponents.ToDictionary());
            if (y.Costs is { } c) row.Costs = ToProto(c);
            if (y.ShortfallDistribution is { } d)
                row.ShortfallDistribution = new Proto.Distribution { P10 = d.P10, P50 = d.P50, P90 = d.P90, Mean = d.Mean, ProbabilityPositive = d.ProbabilityPositive };
            proto.Years.Add(row);
        }
        proto.Targets.AddRange(result.Projection.Targets.Select(t => new Proto.TargetComparison
        {
            Fy = t.Fy,
            FyLabel = result.YearLabel(t.Fy),
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

    public static Proto.YearCosts ToProto(CostRow c) => new()
    {
        SupportedLivingWeeks = c.Weeks.SupportedLiving,
        ExtraCareWeeks = c.Weeks.ExtraCare,
        SharedLivesWeeks = c.Weeks.SharedLives,
        AvoidedResidentialWeeks = c.Weeks.AvoidedResidential,
        UpliftFactor = c.UpliftFactor,
        SupportedLivingCost = c.SupportedLivingCost,
        ExtraCareCost = c.ExtraCareCost,
        SharedLivesCost = c.SharedLivesCost,
        PlacementsCost = c.PlacementsCost,
        AvoidedResidentialCost = c.AvoidedResidentialCost,
        NetCost = c.NetCost,
        NetCostCumulative = c.NetCostCumulative,
        OutOfAreaWeeks = c.Weeks.HousedOutOfArea,
        OutOfAreaCost = c.OutOfAreaCost,
        WaitingCost = c.WaitingCost,
        Waiting =
        {
            c.Waiting.Select(w => new Proto.WaitingCost { Cohort = w.Cohort, Setting = w.Setting, Weeks = w.Weeks, WeeklyCost = w.WeeklyCost, Cost = w.Cost }),
        },
        DiscountFactor = c.DiscountFactor,
        PresentValue = c.PresentValue,
        PresentValueCumulative = c.PresentValueCumulative,
        NetCostRange = c.NetCostRange is { } r ? new Proto.CostRange { P10 = r.P10, P50 = r.P50, P90 = r.P90 } : null,
    };

    /// <summary>The cost basis of a run; results stored before costs existed have none (computed = false, no weekly costs).</summary>
    private static Proto.CostBasis ToProto(ScenarioCosts? costs, PlanningResult result)
    {
        var proto = new Proto.CostBasis
        {
            Computed = costs is not null,
            PriceFy = costs?.PriceFy ?? FinancialYear.Of(result.AsOf),
            CostUpliftPct = costs?.CostUpliftPct ?? result.Levers.CostUpliftPct,
            Description = costs?.Description ?? "",
        };
        foreach (var w in costs?.WeeklyCosts ?? [])
        {
            var row = new Proto.SettingWeeklyCost
            {
                Setting = w.Setting, Source = w.Source, Services = w.Services, Description = w.Description, ClientGroup = w.ClientGroup, AgeBand = w.AgeBand ?? "",
            };
            if (w.WeeklyCost is { } v) row.WeeklyCost = v;
            proto.WeeklyCosts.Add(row);
        }
        proto.DiscountRatePct = costs?.DiscountRatePct ?? result.Levers.EffectiveDiscountRatePct;
        proto.Budgets.AddRange((costs?.Budgets ?? []).Select(b =>
        {
            var row = new Proto.BudgetComparison
            {
                Fy = b.Fy, FyLabel = FinancialCalendar.FinancialYearLabel(b.Fy), ServiceLine = b.ServiceLine, Settings = { b.Settings }, Budget = b.Budget,
                ModelledCost = b.ModelledCost, Share = b.Share,
            };
            if (b.Outturn is { } o) row.Outturn = o;
            return row;
        }));
        return proto;
    }

    public static Proto.PlanningBacktest ToProto(PlanningBacktestResult backtest)
    {
        var proto = new Proto.PlanningBacktest
        {
            CouncilCode = backtest.CouncilCode, SnapshotId = backtest.SnapshotId ?? "", End = FinancialCalendar.Iso(backtest.End),
            Draws = backtest.Draws, Seed = backtest.Seed, Method = backtest.Method,
            OriginRule = backtest.OriginRule, Model = backtest.Model, Seconds = backtest.Seconds,
            DataAsOf = backtest.DataAsOf is { } d ? FinancialCalendar.Iso(d) : "",
        };
        proto.Rows.AddRange(backtest.Rows.Select(r => new Proto.PlanningBacktestRow
        {
            Origin = FinancialCalendar.Iso(r.Origin), Fy = r.Fy, FyLabel = FinancialCalendar.FinancialYearLabel(r.Fy), ClientGroup = r.ClientGroup,
            Measure = r.Measure, Actual = r.Actual, Mean = r.Mean, P10 = r.P10, P50 = r.P50, P90 = r.P90, InsideP10P90 = r.InsideP10P90,
            Horizon = r.Horizon, Months = r.Months, P25 = r.P25, P75 = r.P75, P025 = r.P2_5, P975 = r.P97_5, Crps = r.Crps,
            Naive = r.Naive, SeasonalNaive = r.SeasonalNaive, InsideP25P75 = r.Inside50, InsideP25P975 = r.Inside95, IntervalScore80 = r.IntervalScore80,
        }));
        proto.Summary.AddRange(backtest.Summary.Select(s => new Proto.PlanningBacktestSummary
        {
            Measure = s.Measure, Rows = s.Rows, CoverageP10P90 = s.CoverageP10P90, WeightedAbsolutePercentageError = s.WeightedAbsolutePercentageError,
        }));
        proto.Scores.AddRange(backtest.Scores.Select(s => new Proto.PlanningBacktestScore
        {
            Measure = s.Measure, ClientGroup = s.ClientGroup, Horizon = s.Horizon, Rows = s.Rows, ModelMae = s.ModelMae, ModelBias = s.ModelBias,
            Coverage50 = s.Coverage50, Coverage80 = s.Coverage80, Coverage95 = s.Coverage95, IntervalScore80 = s.IntervalScore80, Crps = s.Crps,
            NaiveMae = s.NaiveMae, NaiveBias = s.NaiveBias, SeasonalNaiveMae = s.SeasonalNaiveMae, SeasonalNaiveBias = s.SeasonalNaiveBias,
        }));
        proto.Substitutions.AddRange(backtest.Substitutions);
        proto.Origins.AddRange(backtest.Origins.Select(FinancialCalendar.Iso));
        if (backtest.Pipeline is { } p) proto.Pipeline = ToProto(p);
        return proto;
    }

    public static Proto.PipelineBacktest ToProto(PipelineBacktestResult p)
    {
        var proto = new Proto.PipelineBacktest();
        proto.Schemes.AddRange(p.Schemes.Select(s => new Proto.PipelineSchemeForecast
        {
            Origin = FinancialCalendar.Iso(s.Origin), PipelineId = s.PipelineId, Name = s.Name, Units = s.Units, StatusAtOrigin = s.StatusAtOrigin,
            StatusSubstituted = s.StatusSubstituted, Probability = s.Probability, ExpectedDate = FinancialCalendar.Iso(s.ExpectedDate),
            MaxSlipMonths = s.MaxSlipMonths, Outcome = s.Outcome, OutcomeDate = s.OutcomeDate is { } od ? FinancialCalendar.Iso(od) : "",
        }));
        proto.Rows.AddRange(p.Rows.Select(r => new Proto.PipelineBacktestRow
        {
            Origin = FinancialCalendar.Iso(r.Origin), Fy = r.Fy, FyLabel = FinancialCalendar.FinancialYearLabel(r.Fy), Horizon = r.Horizon,
            Schemes = r.Schemes, ExpectedUnits = r.ExpectedUnits, DeliveredUnits = r.DeliveredUnits,
        }));
        proto.Calibration.AddRange(p.Calibration.Select(c => new Proto.PipelineCalibrationPoint
        {
            Probability = c.Probability, Forecasts = c.Forecasts, Delivered = c.Delivered,
        }));
        var h = p.History;
        proto.History = new Proto.PipelineHistoryEstimate
        {
            ResolvedSchemes = h.ResolvedSchemes, DeliveredSchemes = h.DeliveredSchemes, ResolvedUnits = h.ResolvedUnits,
            DeliveredUnits = h.DeliveredUnits, SlipObservations = h.SlipObservations,
        };
        if (h.MeanSlipMonths is { } slip) proto.History.MeanSlipMonths = slip;
        proto.History.Notes.AddRange(h.Notes);
        foreach (var s in h.ByStatus)
        {
            var row = new Proto.StatusDeliveryShare { Status = s.Status, Resolved = s.Resolved, Delivered = s.Delivered };
            if (s.Share is { } share) row.Share = share;
            proto.History.ByStatus.Add(row);
        }
        proto.Notes.AddRange(p.Notes);
        return proto;
    }

    private static Proto.ComparisonRow WithCosts(this Proto.ComparisonRow row, ComparisonRow r)
    {
        if (r.NetCost is { } net) row.NetCost = net;
        if (r.NetCostCumulative is { } cumulative) row.NetCostCumulative = cumulative;
        if (r.NetCostDeltaVsBaseline is { } delta) row.NetCostDeltaVsBaseline = delta;
        if (r.NetCostCumulativeDeltaVsBaseline is { } cumulativeDelta) row.NetCostCumulativeDeltaVsBaseline = cumulativeDelta;
        row.SumOfGroupGaps = r.SumOfGroupGaps;
        row.SumOfGroupGapsDeltaVsBaseline = r.SumOfGroupGapsDeltaVsBaseline;
        row.SumOfGroupSurpluses = r.SumOfGroupSurpluses;
        return row;
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
        }.WithCosts(r)));
        return proto;
    }
}
