namespace Forecasting.Store.Import.Published;

/// <summary>A row of the population table.</summary>
public sealed record PopulationRow(string CouncilCode, int Year, string AgeBand, string Variant, string Source, long Population);

/// <summary>
/// Adds an ONS file's areas up to the councils: a council's own row when the file has one (ONS files hold counties
/// and unitary authorities as well as districts), otherwise the sum of its districts in the lookup, all of which must
/// be in the file. Persons are taken as given; where an area has only rows by sex, males and females are added.
/// Fractions (projections are published unrounded) are kept until the council's sum, which is rounded half away
/// from zero.
/// </summary>
public static class CouncilPopulation
{
    public static List<PopulationRow> Sum(string file, string areaColumn, OnsPopulationCounts counts, AreaLookup lookup, string? lookupFile,
        IReadOnlySet<string> councils, string variant, string source, PublishedIssues issues)
    {
        var rows = new List<PopulationRow>();
        var errorsBefore = issues.ErrorCount;
        foreach (var council in councils.Order(StringComparer.Ordinal))
        {
            List<string> areas;
            if (counts.Areas.ContainsKey(council)) areas = [council];
            else
            {
                var districts = lookup.DistrictsOf(council).ToList();
                if (!districts.Any(d => counts.Areas.ContainsKey(d.District))) continue;
                var missing = districts.Where(d => !counts.Areas.ContainsKey(d.District)).ToList();
                foreach (var (district, row) in missing)
                    issues.Error(file, 0, areaColumn,
                        $"district {district} of council {council} ({lookupFile} row {row}) has no rows in the file: the council's total would be short", district);
                if (missing.Count > 0) continue;
                areas = districts.Select(d => d.District).ToList();
            }

            var sums = new Dictionary<(int Year, string Band), decimal>();
            var complete = true;
            foreach (var area in areas)
            {
                var (firstRow, sexes) = counts.Areas[area];
                Dictionary<(string Area, int Year, string Band), decimal> counted;
                if (sexes.Contains(OnsPopulationFile.Persons)) counted = counts.Persons;
                else if (sexes.Contains(OnsPopulationFile.Male) && sexes.Contains(OnsPopulationFile.Female)) counted = counts.BySex;
                else
                {
                    issues.Error(file, firstRow, "sex", $"area has rows for {sexes.Single()}s only: persons, or both males and females, are needed", area);
                    complete = false;
                    continue;
                }
                foreach (var ((a, year, band), value) in counted)
                    if (a == area) sums[(year, band)] = sums.GetValueOrDefault((year, band)) + value;
            }
            if (!complete) continue;
            rows.AddRange(sums.OrderBy(s => s.Key.Year).ThenBy(s => AgeGroups.All.ToList().IndexOf(s.Key.Band))
                .Select(s => new PopulationRow(council, s.Key.Year, s.Key.Band, variant, source, (long)Math.Round(s.Value, 0, MidpointRounding.AwayFromZero))));
        }

        if (rows.Count == 0 && issues.ErrorCount == errorsBefore)
        {
            if (counts.FirstUnwanted is { } unknown)
                issues.Error(file, unknown.Row, areaColumn, lookupFile is null
                    ? "no row of the file is for a council in the store: this area code is not a council in the store, and no area_lookup file places it in one"
                    : $"no row of the file is for a council in the store: this area code is not a council in the store, and {lookupFile} does not place it in one",
                    unknown.Code);
            else
                issues.Error(file, 0, "", "the file has no population rows");
        }
        return rows;
    }
}
