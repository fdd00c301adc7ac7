namespace Lbaas.HaProxy.Applying;

/// <summary>A load balancer left out of the applied configuration, and why (e.g. its port is in use).</summary>
public sealed record ExcludedLoadBalancer(long Id, string Reason);
