using Forecasting.SampleData.Infrastructure;

namespace Forecasting.SampleData.Domains;

/// <summary>The fictional council the sample describes.</summary>
public static class Council
{
    public const string Code = "E06009999";
    public const string Name = "Harbridge City Council";
    public const string Region = "East Midlands";

    public static CsvTable Table()
    {
        var table = new CsvTable("councils.csv", "council_code", "name", "region");
        table.Add(Code, Name, Region);
        return table;
    }
}
