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
    /// <summary>Council codes this key may use; "*" (the default) means every council in the store.</summary>
    public List<string> Councils { get; set; } = [];
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

/// <summary>Maps presented keys to callers by comparing hashes in constant time.</summary>
public sealed class ApiKeyRegistry
{
    private readonly List<(byte[] Hash, Caller Caller)> _keys;

    public ApiKeyRegistry(AuthOptions options)
    {
        _keys = options.Keys.Select(k =>
        {
            if (string.IsNullOrWhiteSpace(k.Name)) throw new InvalidOperationException("Auth:Keys: every key needs a Name");
            if (k.Sha256.Length != 64) throw new InvalidOperationException($"Auth:Keys '{k.Name}': Sha256 must be 64 hex digits");
            var councils = k.Councils.Count == 0 || k.Councils.Contains("*") ? null : k.Councils.ToHashSet(StringComparer.Ordinal);
            return (Convert.FromHexString(k.Sha256), new Caller(k.Name, ApiKeyHasher.ParseRole(k.Role), councils, KeyIdOf(k.Sha256)));
        }).ToList();
    }

    /// <summary>
    /// A short id of a configured key (16 hex digits of the SHA-256 of its configured hash): names the key in a web
    /// session without the key, and without its configured hash either.
    /// </summary>
    public static string KeyIdOf(string sha256Hex) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("forecasting key id:" + sha256Hex.ToLowerInvariant())))[..16];

    /// <summary>The configured key with this id, or null when no key has it (any longer).</summary>
    public Caller? FindById(string keyId) => _keys.FirstOrDefault(k => k.Caller.KeyId == keyId).Caller;

    public int Count => _keys.Count;

    public Caller? Find(string presentedKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey));
        Caller? found = null;
        // Compare against every key so the time taken does not tell which one matched.
        foreach (var (expected, caller) in _keys)
            if (CryptographicOperations.FixedTimeEquals(hash, expected)) found ??= caller;
        return found;
    }
}
