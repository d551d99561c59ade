using Forecasting.Store.Analytics;
using Forecasting.Domain;
using Grpc.Core;

namespace Forecasting.Server.Security;

/// <summary>
/// Who is calling: the key's configured name, its role and the councils it may use (null = every council).
/// Another council's data and objects are reported as not found, so a key cannot learn what else the store holds.
/// <see cref="KeyId"/> names the configured key without revealing it (<see cref="ApiKeyRegistry.KeyIdOf"/>).
/// </summary>
public sealed record Caller(string Name, Role Role, IReadOnlySet<string>? Councils, string KeyId = "")
{
    public const string UserStateKey = "caller";

    public bool AllCouncils => Councils is null;

    public bool CanSee(string? council) => Councils is null || (council is not null && Councils.Contains(council));

    /// <summary>"name (role)": how a stored run or result records who asked for it.</summary>
    public string Describe() => $"{Name} ({ApiKeyHasher.RoleName(Role)})";

    /// <summary>A council the request names, which must be one this key may use.</summary>
    public string RequireCouncil(string? council, string field = "council_code")
    {
        if (string.IsNullOrWhiteSpace(council)) throw new InvalidArgumentException(field, "a council code is required (e.g. E06009999)");
        return CanSee(council) ? council : throw NotFound(council);
    }

    /// <summary>
    /// The council filter of a query: the named council (checked), or for an empty code every council the
    /// key may use (null = no restriction).
    /// </summary>
    public (string? Council, IReadOnlyCollection<string>? Scope) Scope(string? council, string field = "council_code") =>
        string.IsNullOrEmpty(council) ? (null, Councils) : (RequireCouncil(council, field), null);

    public static KeyNotFoundException NotFound(string council) => new($"no council '{council}' in the store");

    public static Caller Of(ServerCallContext context) =>
        context.UserState.TryGetValue(UserStateKey, out var caller) ? (Caller)caller
            : throw new InvalidOperationException("the call was not authenticated");
}
