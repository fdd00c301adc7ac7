namespace Lbaas.HaProxy.Config;

/// <summary>How HAProxy checks every server of a pool. Durations are in milliseconds.</summary>
public sealed record HealthCheckModel
{
    public bool Enabled { get; init; } = true;
    public HealthCheckKind Kind { get; init; } = HealthCheckKind.Tcp;

    /// <summary>HTTP checks only.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>HTTP checks only; must pass <c>ConfigValueRules.IsHttpPath</c>.</summary>
    public string Path { get; init; } = "/";

    /// <summary>HTTP checks only, in HAProxy's syntax (<c>200-399</c>, <c>200,204</c>); must pass <c>ConfigValueRules.IsStatusList</c>.</summary>
    public string ExpectedStatus { get; init; } = "200-399";

    public int IntervalMs { get; init; } = 2_000;
    public int TimeoutMs { get; init; } = 2_000;
    public int Rise { get; init; } = 2;
    public int Fall { get; init; } = 3;
}
