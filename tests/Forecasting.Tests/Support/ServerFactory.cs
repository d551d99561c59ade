using Forecasting.Contracts.V1;
using Forecasting.Server.Security;

namespace Forecasting.Tests.Support;

/// <summary>The server in process with two council-scoped keys besides the development keys.</summary>
public class ServerFactory : SampleServerFactory
{
    /// <summary>Keys limited to one council: Otherton (E06000001, not in the sample) and Harbridge.</summary>
    public const string OthertonAnalystKey = "otherton-analyst-key";
    public const string HarbridgeStrategyKey = "harbridge-strategy-key";

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        // appsettings.json holds keys 0-2 (the development keys of every council).
        settings["Auth:Keys:3:Name"] = "otherton analyst";
        settings["Auth:Keys:3:Role"] = "analyst";
        settings["Auth:Keys:3:Sha256"] = ApiKeyHasher.Hash(OthertonAnalystKey);
        settings["Auth:Keys:3:Councils:0"] = "E06000001";
        settings["Auth:Keys:4:Name"] = "harbridge strategy lead";
        settings["Auth:Keys:4:Role"] = "strategy_lead";
        settings["Auth:Keys:4:Sha256"] = ApiKeyHasher.Hash(HarbridgeStrategyKey);
        settings["Auth:Keys:4:Councils:0"] = "E06009999";
        return settings;
    }
}
