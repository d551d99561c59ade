using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>
/// The council's stated weekly costs for the places people wait that its services data does not price
/// (cost_assumptions.csv): an NHS inpatient bed, temporary accommodation, and displaced need. Stated assumptions, not
/// data: each row says what it stands for, at 2024/25 prices.
/// </summary>
public static class CostAssumptionsGenerator
{
    public static CsvTable Table()
    {
        var table = new CsvTable("cost_assumptions.csv", "council_code", "setting", "client_group", "weekly_cost", "source", "valid_from");
        const string from = "2024-04-01";
        table.Add(Council.Code, "inpatient", "all", "3850.00",
            "stated assumption: a bed in an NHS assessment and treatment or mental health rehabilitation unit, about 550 GBP a day", from);
        table.Add(Council.Code, "temporary_accommodation", "all", "420.00",
            "stated assumption: a council-placed hostel or bed and breakfast room (about 45 GBP a night) with 6 hours of floating support a week", from);
        table.Add(Council.Code, "displaced", "all", "290.00",
            "stated assumption: people off the list but still in need live at home on a community package like the median of open community services of people with a learning disability", from);
        return table;
    }
}
