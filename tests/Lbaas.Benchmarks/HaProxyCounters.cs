using System.Globalization;
using System.Text.Json.Nodes;
using Lbaas.HaProxy.Sockets;

namespace Lbaas.Benchmarks;

/// <summary>
/// HAProxy's counters at one moment. <see cref="ApiReloads"/> and <see cref="Applies"/> come from
/// <c>GET /api/v1/haproxy</c> when the API has that endpoint; <see cref="MasterReloads"/> from
/// <c>show proc</c> on the master CLI (the master line's reload count) when the socket answers.
/// </summary>
internal sealed record HaProxySnapshot(long? ApiReloads, IReadOnlyDictionary<string, long>? Applies, long? MasterReloads, string? Problem);

/// <summary>Reads reloads (and, when the API reports them, applies by path) before and after a measured stretch.</summary>
internal sealed class HaProxyCounters(LbaasClient api, string masterSocket)
{
    public async Task<HaProxySnapshot> ReadAsync()
    {
        long? apiReloads = null;
        Dictionary<string, long>? applies = null;
        long? masterReloads = null;
        var problems = new List<string>();
        try
        {
            var answer = await api.SendAsync(HttpMethod.Get, "/api/v1/haproxy");
            if (answer.IsSuccess)
            {
                var json = answer.Json;
                apiReloads = json["reloads"]?.GetValue<long>();
                applies = (json["apply_counts"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.GetValue<long>() ?? 0);
            }
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or FormatException or System.Text.Json.JsonException)
        {
            problems.Add("GET /api/v1/haproxy: " + e.Message);
        }
        try
        {
            var client = new MasterSocketClient(new MasterSocketOptions { SocketPath = masterSocket, CommandTimeout = TimeSpan.FromSeconds(2) });
            masterReloads = (await client.ShowProcAsync()).Master.Reloads;
        }
        catch (Exception e) when (e is IOException or TimeoutException or FormatException or HaProxyUnavailableException or HaProxyConnectionLostException or UnauthorizedAccessException)
        {
            problems.Add($"master socket {masterSocket}: {e.Message}");
        }
        return new HaProxySnapshot(apiReloads, applies, masterReloads, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    private static readonly string[] PathOrder = ["runtime", "reload", "none", "failed"];

    /// <summary>Reloads (and applies by path) between two snapshots, naming the source.</summary>
    public static string Describe(HaProxySnapshot before, HaProxySnapshot after)
    {
        string reloads;
        if (before.ApiReloads is { } a0 && after.ApiReloads is { } a1)
        {
            reloads = $"reloads {a1 - a0} (GET /api/v1/haproxy)";
        }
        else if (before.MasterReloads is { } m0 && after.MasterReloads is { } m1)
        {
            reloads = $"reloads {m1 - m0} (master CLI show proc)";
        }
        else
        {
            return $"reloads unknown ({before.Problem ?? after.Problem})";
        }
        if (before.Applies is null || after.Applies is null)
        {
            return reloads + ", applies by path not reported by this API";
        }
        var paths = after.Applies.Keys.Union(before.Applies.Keys)
            .OrderBy(k => Array.IndexOf(PathOrder, k) is var i and >= 0 ? i : PathOrder.Length).ThenBy(k => k, StringComparer.Ordinal)
            .Select(k => string.Create(CultureInfo.InvariantCulture, $"{k}={after.Applies.GetValueOrDefault(k) - before.Applies.GetValueOrDefault(k)}"));
        return $"{reloads}, applies {string.Join(" ", paths)}";
    }

    /// <summary>The reload count between two snapshots, or null when unknown.</summary>
    public static long? Reloads(HaProxySnapshot before, HaProxySnapshot after) =>
        before.ApiReloads is { } a0 && after.ApiReloads is { } a1 ? a1 - a0
        : before.MasterReloads is { } m0 && after.MasterReloads is { } m1 ? m1 - m0
        : null;
}
