namespace Lbaas.HaProxy.Values;

/// <summary>An inclusive range of whole numbers HAProxy accepts for a setting.</summary>
public readonly record struct IntRange(int Min, int Max)
{
    public bool Contains(int value) => value >= Min && value <= Max;

    public bool Contains(int? value) => value is null || Contains(value.Value);

    /// <summary>The message for a value outside the range: "<paramref name="field"/> must be between Min and Max."</summary>
    public string Problem(string field) => $"{field} must be between {Min} and {Max}.";
}

/// <summary>
/// HAProxy's numeric limits, beside the string rules: the API's validators, the renderer's guard
/// and the runtime commands all take them from here, so none can admit what another refuses.
/// The constants are for attributes (<c>[Range]</c>) and check constraints.
/// </summary>
public static partial class ConfigValueRules
{
    public const int MaxWeight = 256;

    /// <summary>A server's weight: 0 takes it out of the rotation (draining), 256 is HAProxy's largest.</summary>
    public static readonly IntRange Weight = new(0, MaxWeight);

    public static readonly IntRange Port = new(1, 65535);

    /// <summary>Health check <c>rise</c> and <c>fall</c>: consecutive results that change a server's state.</summary>
    public static readonly IntRange CheckCount = new(1, 100);

    /// <summary>A load balancer's frontend <c>maxconn</c>.</summary>
    public static readonly IntRange LoadBalancerConnections = new(1, 1_000_000);

    /// <summary>The process-wide <c>maxconn</c> of the global section.</summary>
    public static readonly IntRange GlobalConnections = new(1, 10_000_000);

    /// <summary><c>retries</c> in the defaults section.</summary>
    public static readonly IntRange Retries = new(0, 100);
}
