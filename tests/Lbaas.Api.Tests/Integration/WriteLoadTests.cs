using System.Diagnostics;
using System.Net;
using Lbaas.Api.Tests.Infrastructure;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;
using Npgsql;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// An API on a PostgreSQL with its default <c>max_connections=100</c> and the default pool bound
/// (<c>Database:MaxPoolSize</c>): bursts of writes queue for a connection and a row lock instead of failing.
/// </summary>
public sealed class WriteLoadFixture : IAsyncLifetime
{
    private ApiFactory? _api;

    public ApiFactory Api => _api ?? throw new InvalidOperationException("Fixture not initialized.");

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var cluster = await LocalPostgresCluster.StartAsync(maxConnections: 100);
        ConnectionString = await TestPostgres.CreateDatabaseAsync(cluster.ConnectionString);
        _api = await ApiFactory.StartAsync(ConnectionString, settings: new Dictionary<string, string?> { ["Revisions:Keep"] = "1000" });
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}

public sealed class WriteLoadTests(WriteLoadFixture fixture, ITestOutputHelper output) : IClassFixture<WriteLoadFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);
    private readonly HttpClient _client = fixture.Api.CreateClient();

    [Fact]
    public async Task AddBackends_500ConcurrentOver5LoadBalancers_All2xxAndAllLiveInHaProxy()
    {
        await AssertServerMaxConnectionsAsync(100);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((long)(await _client.CreateLoadBalancerAsync($$$"""{"name": "{{{TestData.Unique()}}}", "health_check": {"enabled": false}}"""))["id"]!);
        }
        using var bound = new CancellationTokenSource(Bound);
        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => _client.PostAsync(
            $"/api/v1/loadbalancer/{ids[i % 5]}/backends", HttpJson.Json($$"""{"host": "127.0.0.1", "port": {{20000 + i}}}"""), bound.Token)));
        output.WriteLine($"500 backend adds in {clock.Elapsed.TotalSeconds:F1} s: {await SummaryAsync(responses)}");

        Assert.True(responses.All(r => r.IsSuccessStatusCode), await SummaryAsync(responses));
        var runtime = new RuntimeSocketClient(new RuntimeSocketOptions { SocketPath = fixture.Api.HaProxy.AdminSocketPath });
        var proxies = ids.Select(id => $"lb_{id}").ToHashSet();
        var live = await Eventually.Until(
            async () => (await runtime.ShowStatAsync()).Count(r => r.Type == StatType.Server && proxies.Contains(r.ProxyName)),
            count => count == 500, "500 servers in show stat", TimeSpan.FromSeconds(60));
        Assert.Equal(500, live);
    }

    [Fact]
    public async Task PatchLoadBalancer_100Concurrent_All200And100Revisions()
    {
        await AssertServerMaxConnectionsAsync(100);
        var id = (long)(await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}"""))["id"]!;
        using var bound = new CancellationTokenSource(Bound);
        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => _client.PatchAsync(
            $"/api/v1/loadbalancer/{id}", HttpJson.Json($$"""{"description": "patch {{i}}"}""", "application/merge-patch+json"), bound.Token)));
        output.WriteLine($"100 PATCHes in {clock.Elapsed.TotalSeconds:F1} s: {await SummaryAsync(responses)}");

        Assert.True(responses.All(r => r.StatusCode == HttpStatusCode.OK), await SummaryAsync(responses));
        var revisions = (await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/revisions?limit=500")).ReadNodeAsync())["items"]!.AsArray();
        var patches = revisions.Where(r => (string?)r!["action"] == "load_balancer.patch").ToList();
        Assert.Equal(100, patches.Count);
        Assert.Equal(100, patches.Select(r => (long)r!["revision"]!).Distinct().Count());
    }

    private async Task AssertServerMaxConnectionsAsync(int expected)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var show = new NpgsqlCommand("SHOW max_connections", connection);
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)await show.ExecuteScalarAsync());
    }

    /// <summary>Answers by status, with the first problem body of each failing status.</summary>
    private static async Task<string> SummaryAsync(HttpResponseMessage[] responses)
    {
        var parts = new List<string>();
        foreach (var group in responses.GroupBy(r => (int)r.StatusCode).OrderBy(g => g.Key))
        {
            var sample = group.Key >= 300 ? " " + await group.First().Content.ReadAsStringAsync() : "";
            parts.Add($"{group.Count()} x {group.Key}{sample}");
        }
        return string.Join("; ", parts);
    }
}
