using Forecasting.Planning;
using V1 = Forecasting.Contracts.V1;

namespace Forecasting.Server.Services;

/// <summary>Maps the prevalence cross-check onto its proto messages.</summary>
public static class PrevalenceMapping
{
    public static V1.PrevalenceCheck ToProto(PrevalenceCheckResult check)
    {
        var proto = new V1.PrevalenceCheck
        {
            CouncilCode = check.CouncilCode,
            ResultId = check.ResultId,
            SnapshotId = check.SnapshotId ?? "",
            AsOf = check.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            PopulationVariant = check.PopulationVariant,
            PopulationSource = check.PopulationSource,
            Method = check.Method,
            Summary = check.Summary,
        };
        proto.Sources.AddRange(check.Sources);
        proto.Warnings.AddRange(check.Warnings);
        foreach (var r in check.Groups)
        {
            var row = new V1.PrevalenceCheckRow
            {
                Fy = r.Fy, FyLabel = r.FyLabel, ClientGroup = r.ClientGroup, AgeBands = r.AgeBands, Population = r.Population,
                PrevalentPeople = r.PrevalentPeople, NeedShare = r.NeedShare, PrevalenceNeed = r.PrevalenceNeed, FlowDemand = r.FlowDemand,
                FlowNeedArising = r.FlowNeedArising, Difference = r.Difference, Explanation = r.Explanation,
            };
            if (r.PrevalenceNeedLow is { } low) row.PrevalenceNeedLow = low;
            if (r.PrevalenceNeedHigh is { } high) row.PrevalenceNeedHigh = high;
            if (r.FlowDemandP10 is { } p10) row.FlowDemandP10 = p10;
            if (r.FlowDemandP90 is { } p90) row.FlowDemandP90 = p90;
            proto.Rows.Add(row);
        }
        proto.ExtraCare.AddRange(check.ExtraCare.Select(e => new V1.ExtraCareCheckRow
        {
            Fy = e.Fy, FyLabel = e.FyLabel, PopulationAged75Plus = e.PopulationAged75Plus, UnitsPer1000 = e.UnitsPer1000, UnitsNeeded = e.UnitsNeeded,
            ExistingUnits = e.ExistingUnits, PipelineUnits = e.PipelineUnits, Supply = e.Supply, Gap = e.Gap, FlowOlderDemand = e.FlowOlderDemand,
            FlowOlderSupply = e.FlowOlderSupply, FlowOlderShortfall = e.FlowOlderShortfall, Explanation = e.Explanation,
        }));
        return proto;
    }
}
