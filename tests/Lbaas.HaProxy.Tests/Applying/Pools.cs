using System.Globalization;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Stats;
using Lbaas.HaProxy.Tests.Support;

namespace Lbaas.HaProxy.Tests.Applying;

/// <summary>What the running worker says about the servers of load balancers over test backends.</summary>
internal static class Pools
{
    /// <summary>The row of lb_<paramref name="lb"/>/b_<paramref name="server"/>, or null when the worker has no such server.</summary>
    public static async Task<StatRow?> RowAsync(TestHaProxy haproxy, long lb, long server) =>
        (await haproxy.Runtime.ShowStatAsync()).FirstOrDefault(r => r.ProxyName == Naming.Proxy(lb) && r.ServiceName == Naming.Server(server));

    /// <summary>Status and check, e.g. "UP L7OK", "DRAIN L7OK", "MAINT", "DOWN L7STS"; null when there is no such server.</summary>
    public static async Task<string?> StatusAsync(TestHaProxy haproxy, long lb, long server) =>
        await RowAsync(haproxy, lb, server) is { } row ? $"{row.Status} {row.CheckStatus}".Trim() : null;

    /// <summary>The server's current (user) weight, from "get weight": "7 (initial 1)" → 7.</summary>
    public static async Task<int> WeightAsync(TestHaProxy haproxy, long lb, long server)
    {
        var reply = await haproxy.Runtime.ExecuteAsync($"get weight {Naming.ServerPath(lb, server)}");
        Assert.False(reply.IsError, reply.Text);
        return int.Parse(reply.Text.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    public static Task<string?> WaitForStatusAsync(TestHaProxy haproxy, long lb, long server, string status) =>
        Eventually.Until(() => StatusAsync(haproxy, lb, server), s => s?.StartsWith(status, StringComparison.Ordinal) == true, $"lb_{lb}/b_{server} to be {status}");

    /// <summary>
    /// Waits until <paramref name="count"/> requests in a row are all answered by <paramref name="name"/>:
    /// just after a reload, the old worker may still take a connection or two.
    /// </summary>
    public static Task<List<string>> WaitUntilOnlyAsync(int port, string name, int count = 6) =>
        Eventually.Until(() => AnswersAsync(port, count), names => names.All(n => n == name), $"{count} requests in a row served by {name} only");

    /// <summary>Which backends answer <paramref name="count"/> requests in a row.</summary>
    public static async Task<List<string>> AnswersAsync(int port, int count)
    {
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            names.Add(await Http.GetAsync(port));
        }
        return names;
    }
}
