using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// PostgreSQL cut away behind a running API (a <see cref="TcpProxy"/> between them): what lives in
/// memory keeps answering, marked stale with the reason, while readiness and writes say what is
/// down; the data plane serves throughout, and everything is fresh again once the database is back.
/// </summary>
public sealed class DatabaseOutageMonitoringTests
{
    private const int Requests = 20;

    [Fact]
    public async Task DatabaseUnreachable_MonitoringAnswersFromMemoryMarkedStale_ThenFreshAgain()
    {
        var (proxy, connectionString) = await TcpProxy.InFrontOfNewDatabaseAsync();
        await using var _ = proxy;
        await using var factory = await ApiFactory.StartAsync(connectionString);
        var client = factory.CreateClient();
        await using var backend = await TestBackend.StartAsync("a");
        var failing = await TestBackend.StartAsync("b");
        var lb = await client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "health_check": {"interval": "200ms"},
             "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}, {"host": "127.0.0.1", "port": {{failing.Port}}}]}
            """);
        var id = (long)lb["id"]!;
        var port = (int)lb["frontend_port"]!;
        var stats = $"/api/v1/loadbalancer/{id}/stats";
        await Eventually.Until(() => GetAsync(client, $"/api/v1/loadbalancer/{id}/status"), s => (string?)s["operating_status"] == "ONLINE", "ONLINE");
        Assert.Equal(Requests / 2, (await Traffic.CountAsync(port, Requests)).GetValueOrDefault("a"));
        await Eventually.Until(() => GetAsync(client, stats), s => Total(s) >= Requests, $"{Requests} requests counted");

        proxy.Stop();

        // The next scrapes find PostgreSQL away; HAProxy is still read, so counters keep growing.
        var staleStats = await Eventually.Until(() => GetAsync(client, "/api/v1/stats"), s => IsStaleForDatabase(s["scrape"]!), "stats marked stale");
        Assert.NotNull(staleStats["scrape"]!["desired_state_at"]);
        Assert.Equal(Requests, (await Traffic.CountAsync(port, Requests)).Where(a => a.Key is "a" or "b").Sum(a => a.Value));
        var grown = await Eventually.Until(() => GetAsync(client, stats), s => Total(s) >= 2 * Requests, "counters growing while the database is away");
        AssertStaleForDatabase(grown["scrape"]!);
        Assert.Equal("UP", (string?)grown["backends"]![0]!["operating_status"]);

        var status = await GetAsync(client, $"/api/v1/loadbalancer/{id}/status");
        AssertStaleForDatabase(status["scrape"]!);
        Assert.Equal("ONLINE", (string?)status["operating_status"]);
        Assert.Equal("ACTIVE", (string?)status["provisioning_status"]);
        Assert.Equal((string?)lb["name"], (string?)status["name"]);
        Assert.Equal("UP", (string?)status["backends"]![0]!["operating_status"]);
        Assert.NotNull(status["backends"]![0]!["check"]);
        Assert.NotNull(status["operating_since"]);

        // Health goes on from HAProxy while nothing can be recorded: a backend failing now shows at once.
        await failing.DisposeAsync();
        var degraded = await Eventually.Until(() => GetAsync(client, $"/api/v1/loadbalancer/{id}/status"),
            s => (string?)s["operating_status"] == "DEGRADED", "DEGRADED while the database is away");
        AssertStaleForDatabase(degraded["scrape"]!);
        Assert.Equal("DOWN", (string?)degraded["backends"]![1]!["operating_status"]);
        var downSince = DateTimeOffset.Parse((string)degraded["backends"]![1]!["operating_since"]!, CultureInfo.InvariantCulture);

        var haproxy = await GetAsync(client, "/api/v1/haproxy");
        AssertStaleForDatabase(haproxy["scrape"]!);
        Assert.True((bool)haproxy["running"]!);

        var metrics = await MetricsAsync(client);
        Assert.Equal(0, metrics.Value("lbaas_database_up"));
        Assert.True(metrics.Value("lbaas_loadbalancer_requests_total", ("loadbalancer_id", id.ToString(CultureInfo.InvariantCulture))) >= 2 * Requests,
            "per-load-balancer series gone from /metrics while the database is away");

        var ready = await (await client.GetAsync("/health/ready")).AssertProblemAsync(503);
        Assert.Equal("unhealthy", (string?)ready["checks"]!["database"]!["status"]);
        Assert.Equal("healthy", (string?)ready["checks"]!["haproxy_runtime_socket"]!["status"]);
        Assert.Contains("database", (string?)ready["detail"], StringComparison.Ordinal);
        await (await client.PostJsonAsync("/api/v1/loadbalancer", $$"""{"name": "{{TestData.Unique()}}"}""")).AssertProblemAsync(503);
        await (await client.PatchJsonAsync($"/api/v1/loadbalancer/{id}", """{"description": "during the outage"}""")).AssertProblemAsync(503);
        // Not in the desired state last read: unknown, not "not found".
        await (await client.GetAsync($"/api/v1/loadbalancer/{id + 1000}/status")).AssertProblemAsync(503);
        Assert.Equal(Requests, (await Traffic.CountAsync(port, Requests)).GetValueOrDefault("a"));

        var resumedAt = DateTimeOffset.UtcNow;
        proxy.Resume();

        var fresh = await Eventually.Until(() => GetAsync(client, $"/api/v1/loadbalancer/{id}/status"), s => (bool?)s["scrape"]?["stale"] == false, "status fresh again");
        Assert.Null((string?)fresh["scrape"]!["last_error"]);
        // Caught up: the change seen during the outage is recorded at the time it was seen, not when it could be written.
        Assert.Equal("DEGRADED", (string?)fresh["operating_status"]);
        var down = fresh["transitions"]!.AsArray().Single(t => (long?)t!["backend_id"] == (long)status["backends"]![1]!["id"]! && (string?)t["to"] == "DOWN")!;
        Assert.True(DateTimeOffset.Parse((string)down["at"]!, CultureInfo.InvariantCulture) < resumedAt, down.ToJsonString());
        // The same instant as shown during the outage (PostgreSQL keeps microseconds).
        var recordedSince = DateTimeOffset.Parse((string)fresh["backends"]![1]!["operating_since"]!, CultureInfo.InvariantCulture);
        Assert.True((recordedSince - downSince).Duration() < TimeSpan.FromMilliseconds(1), $"{recordedSince:O} recorded, {downSince:O} shown");
        var freshStats = await GetAsync(client, stats);
        Assert.False((bool)freshStats["scrape"]!["stale"]!);
        Assert.True(Total(freshStats) >= 3 * Requests, freshStats.ToJsonString());
        Assert.False((bool)(await GetAsync(client, "/api/v1/haproxy"))["scrape"]!["stale"]!);
        Assert.Equal(1, (await MetricsAsync(client)).Value("lbaas_database_up"));
        await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready again");
        Assert.Equal(HttpStatusCode.OK, (await client.PatchJsonAsync($"/api/v1/loadbalancer/{id}", """{"description": "after the outage"}""")).StatusCode);
    }

    private static long Total(JsonNode stats) => (long)stats["traffic"]!["requests_total"]!;

    private static bool IsStaleForDatabase(JsonNode scrape) =>
        (bool)scrape["stale"]! && ((string?)scrape["last_error"])?.Contains("database unavailable: ", StringComparison.Ordinal) == true;

    private static void AssertStaleForDatabase(JsonNode scrape) =>
        Assert.True(IsStaleForDatabase(scrape), $"not marked stale for the database: {scrape.ToJsonString()}");

    private static async Task<JsonNode> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<Exposition> MetricsAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Exposition.Parse(await response.Content.ReadAsStringAsync());
    }
}
