using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Data;
using Lbaas.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// The database connection cut at a chosen moment of a write's commit (a real PostgreSQL behind a
/// <see cref="TcpProxy"/>): answers say what happened to the change, never "nothing was changed" after a commit.
/// </summary>
public sealed class CommitTruthTests : IAsyncLifetime
{
    private TcpProxy? _proxy;
    private ApiFactory? _api;

    private TcpProxy Proxy => _proxy!;

    private HttpClient Client => _api!.CreateClient();

    public async Task InitializeAsync()
    {
        (_proxy, var connectionString) = await TcpProxy.InFrontOfNewDatabaseAsync();
        var cut = new CommitCut(_proxy);
        _api = await ApiFactory.StartAsync(connectionString, services: s => s.ConfigureDbContext<LbaasDb>(o => o.AddInterceptors(cut)));
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    [Fact]
    public async Task CreateBackend_DatabaseLostAfterCommit_Returns202WithBackendAsWritten_AndItsETag()
    {
        var lb = await Client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var url = $"/api/v1/loadbalancer/{lb["id"]}/backends";
        const string json = """{"host": "127.0.0.1", "port": 9501, "weight": 7}""";
        var key = Guid.NewGuid().ToString();
        var response = await SendAsync(HttpMethod.Post, url, json, "committed", key);

        var body = await AssertAcceptedAsync(response);
        Assert.Equal(9501, (int)body["port"]!);
        Assert.Equal(7, (int)body["weight"]!);
        Assert.EndsWith($"/backends/{body["id"]}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);
        Proxy.Resume();
        var stored = await Eventually.Until(() => Client.GetAsync(response.Headers.Location), r => r.StatusCode == HttpStatusCode.OK, "the backend to be readable");
        Assert.Equal(7, (int)(await stored.ReadNodeAsync())["weight"]!);
        // The ETag of the 202 is the stored backend's row version: If-Match with it is not refused as stale.
        Assert.Equal(response.Headers.ETag!.Tag, HttpJson.RowTag(stored.Headers.ETag!.Tag));

        // Replaying the key answers what was recorded with the commit: the same backend, with its ETag.
        var replay = await Eventually.Until(() => SendAsync(HttpMethod.Post, url, json, null, key), r => r.StatusCode != HttpStatusCode.ServiceUnavailable, "the replay to reach the database");
        Assert.Equal((long)body["id"]!, (long)(await replay.ReadNodeAsync())["id"]!);
        Assert.Equal(response.Headers.ETag!.Tag, replay.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task PatchLoadBalancer_DatabaseLostAfterCommit_Returns202WithLoadBalancerAsWritten()
    {
        var lb = await Client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var response = await SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{lb["id"]}", """{"description": "after the commit"}""", "committed");

        var body = await AssertAcceptedAsync(response);
        Assert.Equal("after the commit", (string?)body["description"]);
        Assert.Equal("PENDING_UPDATE", (string?)body["provisioning_status"]);
        Assert.NotNull(response.Headers.ETag);
        Proxy.Resume();
        var stored = await Eventually.Until(() => Client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}"), r => r.StatusCode == HttpStatusCode.OK, "the load balancer to be readable");
        Assert.Equal("after the commit", (string?)(await stored.ReadNodeAsync())["description"]);
        // Unchanged since: the 202's ETag is the stored one (the reconciler's status row has its own version).
        Assert.Equal(response.Headers.ETag!.Tag, HttpJson.RowTag(stored.Headers.ETag!.Tag));
    }

    [Fact]
    public async Task CreateBackend_ConnectionLostDuringCommit_Returns503OutcomeUnknown_RetryWithSameKeyAddsOne()
    {
        var lb = await Client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var url = $"/api/v1/loadbalancer/{lb["id"]}/backends";
        const string json = """{"host": "127.0.0.1", "port": 9502}""";
        var key = Guid.NewGuid().ToString();

        var lost = await SendAsync(HttpMethod.Post, url, json, "committing", key);
        var problem = await lost.AssertProblemAsync(503);
        Assert.Equal("Commit outcome unknown", (string?)problem["title"]);
        Assert.Contains("same Idempotency-Key is safe", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was changed", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.NotNull(lost.Headers.RetryAfter);

        Proxy.Resume();
        // The first tries may meet connections the cut left broken (503, nothing changed): retrying with the key is safe.
        var retried = await Eventually.Until(() => SendAsync(HttpMethod.Post, url, json, null, key), r => r.IsSuccessStatusCode, "the retry to succeed");
        var again = await SendAsync(HttpMethod.Post, url, json, null, key);
        Assert.Equal((long)(await retried.ReadNodeAsync())["id"]!, (long)(await again.ReadNodeAsync())["id"]!);
        var pool = (await (await Client.GetAsync(url)).ReadNodeAsync()).AsArray();
        Assert.Single(pool, b => (int)b!["port"]! == 9502);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string json, string? cut, string? key = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = HttpJson.Json(json, method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json") };
        if (cut is not null)
        {
            request.Headers.Add(CommitCut.Header, cut);
        }
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return Client.SendAsync(request);
    }

    private static async Task<JsonNode> AssertAcceptedAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {raw}");
        Assert.DoesNotContain("nothing was changed", raw, StringComparison.Ordinal);
        return JsonNode.Parse(raw)!;
    }
}
