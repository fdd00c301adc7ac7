using System.Net;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Removing a backend drains it first: requests in flight finish, new ones go elsewhere, then it leaves HAProxy.</summary>
public sealed class DrainTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<(long Id, int Port, long BackendId)> CreateWithOneAsync(TestBackend backend)
    {
        var port = FreePort.Next();
        var lb = await _client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "timeouts": {"server": "30s"},
             "health_check": {"interval": "200ms"}, "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}, "name": "{{backend.Name}}"}]}
            """);
        Assert.True(await Traffic.AnsweredByAsync(port, backend.Name));
        return ((long)lb["id"]!, port, (long)lb["backends"]![0]!["id"]!);
    }

    private static async Task<(HttpStatusCode Status, string Body)> SlowRequestAsync(int port, int ms)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            var response = await client.GetAsync($"http://127.0.0.1:{port}/slow/{ms}");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            return (0, e.Message);
        }
    }

    /// <summary>Waits until the slow request has reached its backend through HAProxy, and checks it is still running.</summary>
    private static async Task WaitUntilInFlightAsync(TestBackend backend, Task request)
    {
        await Eventually.Until(() => Task.FromResult(backend.Holding), n => n > 0, $"the slow request to reach {backend.Name}", TimeSpan.FromSeconds(10));
        Assert.False(request.IsCompleted, "The slow request finished before the removal started.");
    }

    [Fact]
    public async Task DeleteBackend_RequestInFlight_FinishesThenBackendLeaves()
    {
        await using var go = await TestBackend.StartAsync("go");
        await using var stay = await TestBackend.StartAsync("stay");
        var (id, port, goId) = await CreateWithOneAsync(go);
        var slow = SlowRequestAsync(port, 2000);
        await WaitUntilInFlightAsync(go, slow);
        await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", $$"""{"host": "127.0.0.1", "port": {{stay.Port}}}""");

        var deleted = await _client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{goId}?drain_timeout=30s");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.True(slow.IsCompleted, "DELETE answered 204 while the drained backend still served a request.");
        Assert.Equal((HttpStatusCode.OK, "go"), await slow);
        Assert.Equal(20, (await Traffic.CountAsync(port, 20)).GetValueOrDefault("stay"));
        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends/{goId}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task DeleteBackend_DrainTimeoutPasses_RemovesItDespiteSessions()
    {
        await using var go = await TestBackend.StartAsync("go");
        await using var stay = await TestBackend.StartAsync("stay");
        var (id, port, goId) = await CreateWithOneAsync(go);
        await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", $$"""{"host": "127.0.0.1", "port": {{stay.Port}}}""");
        var slow = SlowRequestAsync(port, 20_000);
        await WaitUntilInFlightAsync(go, slow);

        var deleted = await _client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{goId}?drain_timeout=500ms");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(20, (await Traffic.CountAsync(port, 20)).GetValueOrDefault("stay"));
        // The session that outlived the timeout was cut, not left to finish.
        var (status, _) = await slow.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.NotEqual(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task DeleteBackend_WaitFalse_Returns202WithRemoveByWhileDraining()
    {
        await using var go = await TestBackend.StartAsync("go");
        var (id, port, goId) = await CreateWithOneAsync(go);
        var slow = SlowRequestAsync(port, 3000);
        await WaitUntilInFlightAsync(go, slow);

        var deleted = await _client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{goId}?drain_timeout=1m&wait=false");

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        var body = await deleted.ReadNodeAsync();
        Assert.Equal("draining", (string?)body["state"]);
        Assert.NotNull((string?)body["remove_by"]);
        Assert.Equal((HttpStatusCode.OK, "go"), await slow);
        // Once the last session is over the backend goes, well before its minute is up.
        await Eventually.Until(async () => (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends/{goId}")).StatusCode, s => s == HttpStatusCode.NotFound, "the drained backend to leave", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CreateBackend_SameHostPortWhileRemoving_TakesItBack()
    {
        await using var go = await TestBackend.StartAsync("go");
        var (id, port, goId) = await CreateWithOneAsync(go);
        var slow = SlowRequestAsync(port, 3000);
        await WaitUntilInFlightAsync(go, slow);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{goId}?drain_timeout=1m&wait=false")).StatusCode);

        var again = await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", $$"""{"host": "127.0.0.1", "port": {{go.Port}}, "weight": 2}""");

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var body = await again.ReadNodeAsync();
        Assert.Equal(goId, (long)body["id"]!);
        Assert.Null(body["remove_by"]);
        Assert.Equal("enabled", (string?)body["state"]);
        Assert.Equal((HttpStatusCode.OK, "go"), await slow);
        Assert.Equal(10, (await Traffic.CountAsync(port, 10)).GetValueOrDefault("go"));
    }

    [Fact]
    public async Task ReplaceBackends_LeftOutBackend_DrainsThenLeaves()
    {
        await using var go = await TestBackend.StartAsync("go");
        await using var stay = await TestBackend.StartAsync("stay");
        var (id, port, goId) = await CreateWithOneAsync(go);
        var slow = SlowRequestAsync(port, 1500);
        await WaitUntilInFlightAsync(go, slow);

        var replaced = await _client.PutJsonAsync($"/api/v1/loadbalancer/{id}/backends", $$"""[{"host": "127.0.0.1", "port": {{stay.Port}}}]""");

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var pool = (await replaced.ReadNodeAsync()).AsArray();
        Assert.Equal(stay.Port, (int)Assert.Single(pool)!["port"]!);
        Assert.Equal((HttpStatusCode.OK, "go"), await slow);
        Assert.Equal(10, (await Traffic.CountAsync(port, 10)).GetValueOrDefault("stay"));
        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends/{goId}")).AssertProblemAsync(404);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("2h")]
    [InlineData("-1s")]
    public async Task DeleteBackend_BadDrainTimeout_Returns400AndKeepsBackend(string value)
    {
        await using var go = await TestBackend.StartAsync("go");
        var (id, _, goId) = await CreateWithOneAsync(go);

        await (await _client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{goId}?drain_timeout={value}")).AssertProblemAsync(400, "drain_timeout");

        var kept = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends/{goId}")).ReadNodeAsync();
        Assert.Null(kept["remove_by"]);
        Assert.Equal("enabled", (string?)kept["state"]);
    }
}
