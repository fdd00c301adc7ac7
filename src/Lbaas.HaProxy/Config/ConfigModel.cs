namespace Lbaas.HaProxy.Config;

/// <summary>
/// Everything haproxy.cfg is made of, as plain immutable values. The API builds it from its
/// entities; the renderer turns it into text. Nothing here knows about EF Core or HTTP.
/// </summary>
public sealed record ConfigModel
{
    public required GlobalSettings Global { get; init; }
    public DefaultsSettings Defaults { get; init; } = new();
    public StatsSettings Stats { get; init; } = new();

    /// <summary>Rendered in id order whatever the order here, so equal models give equal text.</summary>
    public IReadOnlyList<LoadBalancerModel> LoadBalancers { get; init; } = [];
}
