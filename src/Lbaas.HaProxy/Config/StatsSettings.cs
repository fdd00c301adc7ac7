namespace Lbaas.HaProxy.Config;

/// <summary>
/// The stats page (<c>/stats</c>) and Prometheus exporter (<c>/metrics</c>) frontend. It binds
/// to loopback by default: the page shows every backend and must not face the network by accident.
/// </summary>
public sealed record StatsSettings
{
    public bool Enabled { get; init; } = true;
    public string BindAddress { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 8404;
}
