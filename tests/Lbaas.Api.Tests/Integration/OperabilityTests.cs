using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

public sealed class OperabilityTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task OpenApi_EveryOperationHasSummaryDescriptionAndExample()
    {
        var response = await _client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.ReadNodeAsync();
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => (Name: $"{op.Key} {path.Key}", Op: op.Value!)))
            .ToList();
        Assert.True(operations.Count >= 13, $"only {operations.Count} operations");
        foreach (var (name, op) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)op["summary"]), $"{name} has no summary");
            Assert.False(string.IsNullOrWhiteSpace((string?)op["description"]), $"{name} has no description");
            var bodies = (op["requestBody"]?["content"]?.AsObject() ?? [])
                .Concat(op["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).SelectMany(r => r.Value?["content"]?.AsObject() ?? []));
            foreach (var (mediaType, media) in bodies)
            {
                Assert.True(media?["example"] is not null, $"{name} has no example for {mediaType}");
            }
        }
        Assert.Equal("least_connections", (string?)document["components"]!["schemas"]!["Algorithm"]!["enum"]!.AsArray()[2]);
    }

    [Theory]
    [InlineData("/docs/index.html")]
    [InlineData("/redoc/index.html")]
    public async Task DocumentationPages_AreServed(string path)
    {
        var response = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_IsAlive()
    {
        var body = await (await _client.GetAsync("/health")).ReadNodeAsync();
        Assert.Equal("alive", (string?)body["status"]);
    }

    [Fact]
    public async Task Ready_DatabaseSocketsAndFirstApply_Returns200NamingEachCheck()
    {
        // Not ready until the first apply has gone live: a fresh process may answer 503 for a moment.
        var response = await Eventually.Until(() => _client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "ready");
        var checks = (await response.ReadNodeAsync())["checks"]!;
        foreach (var name in new[] { "database", "haproxy_master_socket", "haproxy_runtime_socket", "last_apply" })
        {
            Assert.Equal("healthy", (string?)checks[name]?["status"]);
        }
    }
}

/// <summary>PostgreSQL going away behind a running API: a clear 503, nothing lost, and recovery when it returns.</summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task DatabaseUnreachable_ReadyAndWritesAre503_ThenRecover()
    {
        var (proxy, connectionString) = await TcpProxy.InFrontOfNewDatabaseAsync();
        await using var _ = proxy;
        await using var factory = await ApiFactory.StartAsync(connectionString);
        var client = factory.CreateClient();
        var kept = await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");

        proxy.Stop();
        var ready = await client.GetAsync("/health/ready");
        var problem = await ready.AssertProblemAsync(503);
        Assert.Contains("database", (string?)problem["detail"], StringComparison.Ordinal);
        await (await client.PostJsonAsync("/api/v1/loadbalancer", $$"""{"name": "{{TestData.Unique()}}"}""")).AssertProblemAsync(503);
        await (await client.GetAsync($"/api/v1/loadbalancer/{kept["id"]}")).AssertProblemAsync(503);

        proxy.Resume();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/loadbalancer/{kept["id"]}")).StatusCode);
    }
}
