namespace Lbaas.HaProxy.Config;

/// <summary>Per load balancer timeouts in milliseconds: client on the frontend, connect and server on the backend.</summary>
public sealed record LoadBalancerTimeouts
{
    public int ClientMs { get; init; } = 50_000;
    public int ConnectMs { get; init; } = 5_000;
    public int ServerMs { get; init; } = 50_000;
}
