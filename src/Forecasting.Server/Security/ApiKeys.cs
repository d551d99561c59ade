using System.Security.Cryptography;
using System.Text;

namespace Forecasting.Server.Security;

/// <summary>Roles in increasing order of rights: each role can do everything the ones before it can.</summary>
public enum Role
{
    Commissioner = 1,
    StrategyLead = 2,
    Analyst = 3,
}

public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    /// <summary>Hex SHA-256 of the key; keys themselves are never stored.</summary>
    public string Sha256 { get; set; } = "";
}

public sealed class AuthOptions
{
    public const string SectionName = "Auth";
    public List<ApiKeyEntry> Keys { get; set; } = [];
}

public static class ApiKeyHasher
{
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static Role ParseRole(string role) => role switch
    {
        "commissioner" => Role.Commissioner,
        "strategy_lead" => Role.StrategyLead,
        "analyst" => Role.Analyst,
        _ => throw new InvalidOperationException($"Auth:Keys: unknown role '{role}'; roles are commissioner, strategy_lead, analyst"),
    };

    public static string RoleName(Role role) => role switch
    {
        Role.Commissioner => "commissioner",
        Role.StrategyLead => "strategy_lead",
        _ => "analyst",
    };
}

/// <summary>Maps presented keys to roles by comparing hashes in constant time.</summary>
public sealed class ApiKeyRegistry
{
    private readonly List<(byte[] Hash, Role Role, string Name)> _keys;

    public ApiKeyRegistry(AuthOptions options)
    {
        _keys = options.Keys.Select(k => (Convert.FromHexString(k.Sha256), ApiKeyHasher.ParseRole(k.Role), k.Name)).ToList();
    }

    public (Role Role, string Name)? Find(string presentedKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        foreach (var (expected, role, name) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, expected)) return (role, name);
        return null;
    }
}
