using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Rolling replacement of a pool, with real backends behind the real HAProxy and requests going through it.</summary>
public sealed class RolloutTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly TimeSpan RolloutDeadline = TimeSpan.FromSeconds(60);

    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task StartRollout_HealthyNewBackends_CompletesAndOnlyNewOnesServe()
    {
        await using var oldA = await TestBackend.StartAsync("old-a");
        await using var oldB = await TestBackend.StartAsync("old-b");
        await using var newA = await TestBackend.StartAsync("new-a");
        await using var newB = await TestBackend.StartAsync("new-b");
        var (id, port) = await CreateAsync(_client, Entry(oldA), Entry(oldB));
        var originalIds = (await PoolAsync(_client, id)).Select(b => (long)b["id"]!).ToList();
        Assert.True(await Traffic.AnsweredByAsync(port, "old-a", "old-b"));

        await using var traffic = Load.Start(port, clients: 1, keepAlive: false, pause: TimeSpan.FromMilliseconds(20));
        var response = await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollout",
            $$"""{"backends": [{{Entry(newA, 2)}}, {{Entry(newB, 2)}}], "batch_size": 1, "drain_timeout": "5s", "health_timeout": "30s"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/v1/loadbalancer/{id}/rollout", response.Headers.Location?.OriginalString);
        var started = await response.ReadNodeAsync();
        Assert.Equal("in_progress", (string?)started["state"]);
        Assert.Equal(2, (int)started["batches"]!);
        var done = await FinishedAsync(_client, id);
        await traffic.StopAsync();

        Assert.Equal("completed", (string?)done["state"]);
        Assert.Equal((2, 2, 2, 2), ((int)done["batch"]!, done["added"]!.AsArray().Count, (int)done["healthy"]!, done["removed"]!.AsArray().Count));
        Assert.Equal(originalIds, done["removed"]!.AsArray().Select(b => (long)b!["id"]!).Order());
        var pool = await PoolAsync(_client, id);
        Assert.Equal(new[] { (newA.Port, 2, "new-a"), (newB.Port, 2, "new-b") }.Order(), pool.Select(b => ((int)b["port"]!, (int)b["weight"]!, (string)b["name"]!)).Order());
        Assert.All(pool, b => Assert.Equal("enabled", (string?)b["state"]));
        var after = await Traffic.CountAsync(port, 20);
        Assert.Equal(20, after.GetValueOrDefault("new-a") + after.GetValueOrDefault("new-b"));
        Assert.True(traffic.Failures.Count == 0, $"requests failed during the rollout: {string.Join("; ", traffic.Failures)}");
        Assert.True(traffic.Answers.GetValueOrDefault("new-a") > 0, "no request reached new-a during the rollout");
        await (await _client.PostAsync($"/api/v1/loadbalancer/{id}/rollout/rollback", null)).AssertProblemAsync(409, "state");
    }

    [Fact]
    public async Task StartRollout_NewBackendsNeverHealthy_RollsBackByItselfAndTheyNeverServe()
    {
        await using var oldA = await TestBackend.StartAsync("old-a");
        await using var oldB = await TestBackend.StartAsync("old-b");
        var (id, port) = await CreateAsync(_client, Entry(oldA, 3), Entry(oldB));
        var original = await PoolAsync(_client, id);
        Assert.True(await Traffic.AnsweredByAsync(port, "old-a", "old-b"));
        var (deadA, deadB) = (FreePort.Next(), FreePort.Next());

        await using var traffic = Load.Start(port, clients: 1, keepAlive: false, pause: TimeSpan.FromMilliseconds(20));
        var response = await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollout",
            $$"""{"backends": [{"host": "127.0.0.1", "port": {{deadA}}}, {"host": "127.0.0.1", "port": {{deadB}}}], "batch_size": 1, "health_timeout": "3s"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var done = await FinishedAsync(_client, id);
        await traffic.StopAsync();

        Assert.Equal("rolled_back", (string?)done["state"]);
        Assert.Contains("health checks", (string?)done["message"], StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{deadA}", (string?)done["message"], StringComparison.Ordinal);
        Assert.Empty(done["removed"]!.AsArray());
        Assert.Equal(Settings(original), Settings(await PoolAsync(_client, id)));
        Assert.Equal(original.Select(b => (long)b["id"]!), (await PoolAsync(_client, id)).Select(b => (long)b["id"]!));
        Assert.True(traffic.Failures.Count == 0, $"requests failed during the rollout: {string.Join("; ", traffic.Failures)}");
        var after = await Traffic.CountAsync(port, 20);
        Assert.Equal(20, after.GetValueOrDefault("old-a") + after.GetValueOrDefault("old-b"));
    }

    [Fact]
    public async Task Rollback_MidWay_RestoresOriginalPool()
    {
        await using var oldA = await TestBackend.StartAsync("old-a");
        await using var oldB = await TestBackend.StartAsync("old-b");
        await using var newA = await TestBackend.StartAsync("new-a");
        await using var newB = await TestBackend.StartAsync("new-b");
        var (id, port) = await CreateAsync(_client, Entry(oldA, 3), Entry(oldB));
        var original = await PoolAsync(_client, id);
        var response = await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollout",
            $$"""{"backends": [{{Entry(newA)}}, {{Entry(newB)}}], "batch_size": 1, "interval": "1h", "drain_timeout": "5s"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var paused = await Eventually.Until(() => RolloutAsync(_client, id), r => (string?)r["phase"] == "pausing" || (string?)r["state"] != "in_progress",
            "the first batch to finish", RolloutDeadline);
        Assert.Equal(("in_progress", 1), ((string?)paused["state"], paused["removed"]!.AsArray().Count));
        Assert.True(await Traffic.AnsweredByAsync(port, "new-a"));

        var rollback = await _client.PostAsync($"/api/v1/loadbalancer/{id}/rollout/rollback", null);

        Assert.Equal(HttpStatusCode.Accepted, rollback.StatusCode);
        Assert.Equal("rolling_back", (string?)(await rollback.ReadNodeAsync())["state"]);
        var done = await FinishedAsync(_client, id);
        Assert.Equal("rolled_back", (string?)done["state"]);
        Assert.Equal("Rolled back on request.", (string?)done["message"]);
        var pool = await PoolAsync(_client, id);
        Assert.Equal(Settings(original), Settings(pool));
        Assert.Equal((long)original[1]["id"]!, (long)pool.Single(b => (int)b["port"]! == oldB.Port)["id"]!);
        var after = await Traffic.CountAsync(port, 20);
        Assert.Equal(20, after.GetValueOrDefault("old-a") + after.GetValueOrDefault("old-b"));
        await (await _client.PostAsync($"/api/v1/loadbalancer/{id}/rollout/rollback", null)).AssertProblemAsync(409, "state");
    }

    [Fact]
    public async Task StartRollout_NewBackendsReuseOldNames_EndWithThoseNames()
    {
        await using var oldA = await TestBackend.StartAsync("old-a");
        await using var oldB = await TestBackend.StartAsync("old-b");
        await using var newA = await TestBackend.StartAsync("new-a");
        await using var newB = await TestBackend.StartAsync("new-b");
        var (id, _) = await CreateAsync(_client,
            $$"""{"host": "127.0.0.1", "port": {{oldA.Port}}, "name": "web-1"}""", $$"""{"host": "127.0.0.1", "port": {{oldB.Port}}, "name": "web-2"}""");

        var response = await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollout",
            $$"""{"backends": [{"host": "127.0.0.1", "port": {{newA.Port}}, "name": "web-1"}, {"host": "127.0.0.1", "port": {{newB.Port}}, "name": "web-2"}], "batch_size": 2, "drain_timeout": "5s"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var done = await FinishedAsync(_client, id);

        Assert.Equal("completed", (string?)done["state"]);
        Assert.Null((string?)done["message"]);
        var pool = await PoolAsync(_client, id);
        Assert.Equal(new[] { (newA.Port, "web-1"), (newB.Port, "web-2") }.OrderBy(p => p.Item2), pool.Select(b => ((int)b["port"]!, (string)b["name"]!)).OrderBy(p => p.Item2));
    }

    [Fact]
    public async Task StartRollout_ApiRestartsMidWay_ResumesAndCompletes()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var haproxy = await ApiHaProxy.StartAsync();
        await using var oldA = await TestBackend.StartAsync("old-a");
        await using var newA = await TestBackend.StartAsync("new-a");
        await using var newB = await TestBackend.StartAsync("new-b");
        long id;
        int port;
        await using (var first = await ApiFactory.StartAsync(database, haproxy))
        {
            var client = first.CreateClient();
            (id, port) = await CreateAsync(client, Entry(oldA));
            var response = await client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollout",
                $$"""{"backends": [{{Entry(newA)}}, {{Entry(newB)}}], "batch_size": 1, "interval": "3s", "drain_timeout": "5s"}""");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Eventually.Until(() => RolloutAsync(client, id), r => (string?)r["phase"] == "pausing", "the first batch to finish", RolloutDeadline);
        }

        await using var second = await ApiFactory.StartAsync(database, haproxy);
        var done = await FinishedAsync(second.CreateClient(), id);

        Assert.Equal("completed", (string?)done["state"]);
        Assert.Equal(new[] { newA.Port, newB.Port }.Order(), (await PoolAsync(second.CreateClient(), id)).Select(b => (int)b["port"]!).Order());
        var after = await Traffic.CountAsync(port, 10);
        Assert.Equal(10, after.GetValueOrDefault("new-a") + after.GetValueOrDefault("new-b"));
    }

    [Theory]
    [InlineData("""{"backends": [{"host": "127.0.0.1", "port": 9101}], "batch_size": 0}""", "batch_size")]
    [InlineData("""{"backends": [{"host": "127.0.0.1", "port": 9101}], "interval": "5 s"}""", "interval")]
    [InlineData("""{"backends": [{"host": "127.0.0.1", "port": 9101}], "drain_timeout": "2h"}""", "drain_timeout")]
    [InlineData("""{"backends": [{"host": "127.0.0.1", "port": 9101}], "health_timeout": "0s"}""", "health_timeout")]
    [InlineData("""{"backends": [{"host": "x y", "port": 9101}]}""", "backends[0].host")]
    [InlineData("""{"backends": []}""", "backends")]
    [InlineData("""{"batch_size": 1}""", "backends")]
    [InlineData("""{"backends": [{"host": "127.0.0.1", "port": 9101}], "batchsize": 1}""", "batchsize")]
    public async Task StartRollout_InvalidField_Returns400AndStoresNothing(string body, string field)
    {
        var id = (long)(await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}"""))["id"]!;

        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollout", body)).AssertProblemAsync(400, field);

        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/rollout")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task StartRollout_WhileOneIsActive_Returns409NamingIt()
    {
        var id = (long)(await _client.CreateLoadBalancerAsync(
            $$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": {{FreePort.Next()}}}]}"""))["id"]!;
        var body = $$"""{"backends": [{"host": "127.0.0.1", "port": {{FreePort.Next()}}}], "health_timeout": "1h"}""";
        var first = await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollout", body)).ReadNodeAsync();

        var problem = await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollout", body)).AssertProblemAsync(409, "rollout");

        Assert.Equal((long)first["id"]!, (long)problem["existing_id"]!);
        Assert.Contains($"Rollout {first["id"]}", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync($"/api/v1/loadbalancer/{id}/rollout/rollback", null)).StatusCode);
        Assert.Equal("rolled_back", (string?)(await FinishedAsync(_client, id))["state"]);
    }

    [Fact]
    public async Task Rollout_UnknownLoadBalancer_Returns404()
    {
        await (await _client.PostJsonAsync("/api/v1/loadbalancer/987654321/rollout", """{"backends": [{"host": "127.0.0.1", "port": 9101}]}""")).AssertProblemAsync(404);
        await (await _client.GetAsync("/api/v1/loadbalancer/987654321/rollout")).AssertProblemAsync(404);
        await (await _client.PostAsync("/api/v1/loadbalancer/987654321/rollout/rollback", null)).AssertProblemAsync(404);
    }

    [Fact]
    public async Task GetRollout_NoneYet_Returns404()
    {
        var id = (long)(await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}"""))["id"]!;

        var problem = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/rollout")).AssertProblemAsync(404);
        await (await _client.PostAsync($"/api/v1/loadbalancer/{id}/rollout/rollback", null)).AssertProblemAsync(404);

        Assert.Contains("has no rollout", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartRollout_InvalidActorHeader_Returns400NamingItAndStartsNothing()
    {
        var (id, _) = await CreateAsync(_client, """{"host": "127.0.0.1", "port": 9001}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/rollout")
        {
            Content = HttpJson.Json("""{"backends": [{"host": "127.0.0.1", "port": 9002}]}"""),
        };
        request.Headers.Add("X-Lbaas-Actor", new string('a', 257));

        await (await _client.SendAsync(request)).AssertProblemAsync(400, "X-Lbaas-Actor");

        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/rollout")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Rollout_StepsRecordTheActorWhoStartedIt()
    {
        await using var old = await TestBackend.StartAsync("old");
        await using var fresh = await TestBackend.StartAsync("fresh");
        var (id, _) = await CreateAsync(_client, Entry(old));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/rollout")
        {
            Content = HttpJson.Json($$"""{"backends": [{{Entry(fresh)}}], "drain_timeout": "0s"}"""),
        };
        request.Headers.Add("X-Lbaas-Actor", "deploy-bot");
        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(request)).StatusCode);

        Assert.Equal("completed", (string?)(await FinishedAsync(_client, id))["state"]);

        var revisions = (await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/revisions")).ReadNodeAsync())["items"]!.AsArray();
        var steps = revisions.Where(r => (string?)r!["action"] == "rollout").ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, step => Assert.Equal("deploy-bot", (string?)step!["actor"]));
    }

    private static string Entry(TestBackend backend, int weight = 1) =>
        $$"""{"host": "127.0.0.1", "port": {{backend.Port}}, "weight": {{weight}}, "name": "{{backend.Name}}"}""";

    /// <summary>A load balancer that checks its servers every 200 ms and trusts one result either way.</summary>
    private static async Task<(long Id, int Port)> CreateAsync(HttpClient client, params string[] backends)
    {
        var port = FreePort.Next();
        var lb = await client.CreateLoadBalancerAsync(
            $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "health_check": {"interval": "200ms", "rise": 1, "fall": 1}, "backends": [{{string.Join(", ", backends)}}]}""");
        Assert.Equal("ACTIVE", (string?)lb["provisioning_status"]);
        return ((long)lb["id"]!, port);
    }

    private static async Task<List<JsonNode>> PoolAsync(HttpClient client, long id) =>
        (await (await client.GetAsync($"/api/v1/loadbalancer/{id}/backends")).ReadNodeAsync()).AsArray().Select(b => b!).ToList();

    private static async Task<JsonNode> RolloutAsync(HttpClient client, long id)
    {
        var response = await client.GetAsync($"/api/v1/loadbalancer/{id}/rollout");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadNodeAsync();
    }

    /// <summary>The rollout once it is over, and the pool without any backend still on its way out.</summary>
    private static async Task<JsonNode> FinishedAsync(HttpClient client, long id)
    {
        var done = await Eventually.Until(() => RolloutAsync(client, id), r => (string?)r["state"] is "completed" or "rolled_back" or "failed",
            "the rollout to finish", RolloutDeadline);
        await Eventually.Until(() => PoolAsync(client, id), pool => pool.All(b => b["remove_by"] is null), "removed backends to leave", RolloutDeadline);
        return done;
    }

    private static List<(string?, int, int, string?, bool, string?)> Settings(IEnumerable<JsonNode> pool) =>
        pool.Select(b => ((string?)b["host"], (int)b["port"]!, (int)b["weight"]!, (string?)b["name"], (bool)b["backup"]!, (string?)b["state"]))
            .OrderBy(s => s.Item2).ToList();
}
