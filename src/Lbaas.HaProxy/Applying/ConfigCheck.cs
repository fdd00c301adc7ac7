namespace Lbaas.HaProxy.Applying;

/// <summary>What an apply of a model would find, without applying it (<see cref="ConfigApplier.CheckAsync"/>).</summary>
/// <param name="Valid">HAProxy (<c>haproxy -c</c>) accepts what an apply would write.</param>
/// <param name="Message">Why not, in HAProxy's own words where it refused; null when valid.</param>
/// <param name="Excluded">Load balancers an apply would leave out, each with its reason; the rest was checked without them.</param>
/// <param name="Warnings">haproxy -c warnings and ports left to HAProxy.</param>
public sealed record ConfigCheck(bool Valid, string? Message, IReadOnlyList<ExcludedLoadBalancer> Excluded, IReadOnlyList<string> Warnings);
