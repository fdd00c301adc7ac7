using System.Globalization;
using Lbaas.HaProxy.Config;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>A real HAProxy for the API under test, and the settings that point the API at it.</summary>
public static class ApiHaProxy
{
    /// <summary>Starts HAProxy as deploy/local does: on a bootstrap file with no load balancers and the stats page on.</summary>
    /// <param name="supervised">Run the master under deploy/haproxy/supervise.sh, which restarts it when it dies.</param>
    public static Task<TestHaProxy> StartAsync(bool supervised = false) =>
        TestHaProxy.StartAsync(h => h.Model() with { Stats = new StatsSettings { Port = h.StatsPort } }, supervised);

    /// <summary>Configuration keys pointing the API at this HAProxy.</summary>
    public static IReadOnlyDictionary<string, string?> ApiSettings(this TestHaProxy haproxy) => new Dictionary<string, string?>
    {
        ["HaProxy:ConfigPath"] = haproxy.ConfigPath,
        ["HaProxy:MasterSocketPath"] = haproxy.MasterSocketPath,
        ["HaProxy:AdminSocketPath"] = haproxy.AdminSocketPath,
        ["HaProxy:ServerStateFile"] = haproxy.ServerStatePath,
        ["HaProxy:StatsPort"] = haproxy.StatsPort.ToString(CultureInfo.InvariantCulture),
        ["HaProxy:BinaryPath"] = HaProxyBinary.Path,
    };
}
