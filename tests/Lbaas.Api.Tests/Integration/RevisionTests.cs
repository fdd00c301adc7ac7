using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Every write is a numbered revision (who, when, what changed); rollback restores one as a new revision.</summary>
public sealed class RevisionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Actor = "X-Lbaas-Actor";
    private readonly HttpClient _client = api.CreateClient();

    private Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string url, string? json = null, string? actor = null, string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = HttpJson.Json(json, method == HttpMethod.Patch ? "application/merge-patch+json" : "application/json");
        }
        if (actor is not null)
        {
            request.Headers.TryAddWithoutValidation(Actor, actor);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return _client.SendAsync(request);
    }

    private static async Task<JsonNode> OkAsync(Task<HttpResponseMessage> sending, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await sending;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body.Length == 0 ? "null" : body) ?? new JsonObject();
    }

    private async Task<JsonArray> RevisionsAsync(long id) =>
        (await OkAsync(_client.GetAsync($"/api/v1/loadbalancer/{id}/revisions?limit=500")))["items"]!.AsArray();

    private static List<string> Changes(JsonNode revision) => revision["changes"]!.AsArray().Select(c => (string)c!).ToList();

    private async Task<long> NewLoadBalancerAsync(string extra = "") =>
        (long)(await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"{{extra}}}"""))["id"]!;

    [Fact]
    public async Task ListRevisions_CreatePatchBackendAddWeightChange_FourNewestFirstWithActionsActorsAndChanges()
    {
        var lb = await OkAsync(SendAsync(HttpMethod.Post, "/api/v1/loadbalancer",
            $$"""{"name": "{{TestData.Unique()}}", "labels": {"env": "staging"}, "backends": [{"host": "127.0.0.1", "port": 9001}]}""", actor: "alice"),
            HttpStatusCode.Created);
        var id = (long)lb["id"]!;
        var backend = (long)lb["backends"]![0]!["id"]!;
        await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}", """{"algorithm": "least_connections", "labels": {"env": "prod"}}""", actor: "bob"));
        await OkAsync(SendAsync(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9002}"""), HttpStatusCode.Created);
        await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}/backends/{backend}", """{"weight": 3}""", actor: "ci/pipeline-7"));
        Assert.Equal("ACTIVE", await _client.WaitForProvisioningStatusAsync(id, "ACTIVE"));

        var revisions = await RevisionsAsync(id);

        Assert.Equal(["backend.update", "backend.create", "load_balancer.patch", "load_balancer.create"], revisions.Select(r => (string)r!["action"]!));
        Assert.Equal(["ci/pipeline-7", null, "bob", "alice"], revisions.Select(r => (string?)r!["actor"]));
        var numbers = revisions.Select(r => (long)r!["revision"]!).ToList();
        Assert.Equal(numbers.OrderDescending(), numbers);
        Assert.Equal(4, numbers.Distinct().Count());
        Assert.Equal(["backend 127.0.0.1:9001 weight: 1 -> 3"], Changes(revisions[0]!));
        Assert.Equal(["backend 127.0.0.1:9002 added"], Changes(revisions[1]!));
        Assert.Equal(["algorithm: round_robin -> least_connections", "labels.env: staging -> prod"], Changes(revisions[2]!));
        Assert.Equal(["created"], Changes(revisions[3]!));
        Assert.All(revisions, r => Assert.True((bool)r!["live"]!));
        Assert.All(revisions, r => Assert.NotNull((string?)r!["created_at"]));
        Assert.All(revisions, r => Assert.Null(r!["spec"]));
    }

    [Fact]
    public async Task GetRevision_Existing_ReturnsSpecInRequestShape()
    {
        var id = await NewLoadBalancerAsync(""", "labels": {"env": "staging"}, "backends": [{"host": "127.0.0.1", "port": 9001, "name": "web-1"}]""");
        await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}", """{"description": "later"}"""));
        var first = (long)(await RevisionsAsync(id))[^1]!["revision"]!;

        var revision = await OkAsync(_client.GetAsync($"/api/v1/loadbalancer/{id}/revisions/{first}"));

        Assert.Equal(first, (long)revision["revision"]!);
        Assert.Equal("load_balancer.create", (string?)revision["action"]);
        var spec = revision["spec"]!;
        Assert.Null((string?)spec["description"]);
        Assert.Equal("staging", (string?)spec["labels"]!["env"]);
        Assert.Equal("round_robin", (string?)spec["algorithm"]);
        Assert.Equal("2s", (string?)spec["health_check"]!["interval"]);
        var backend = Assert.Single(spec["backends"]!.AsArray())!;
        Assert.Equal(9001, (int)backend["port"]!);
        Assert.Equal("web-1", (string?)backend["name"]);
        Assert.Null(backend["id"]);
    }

    [Fact]
    public async Task GetRevision_Unknown_Returns404()
    {
        var id = await NewLoadBalancerAsync();
        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/revisions/1")).AssertProblemAsync(404);
        await (await _client.GetAsync("/api/v1/loadbalancer/999999999/revisions/1")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task ListRevisions_UnknownLoadBalancer_Returns404()
    {
        await (await _client.GetAsync("/api/v1/loadbalancer/999999999/revisions")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task ListRevisions_BadLimitOrCursor_Returns400NamingField()
    {
        var id = await NewLoadBalancerAsync();
        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/revisions?limit=0")).AssertProblemAsync(400, "limit");
        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/revisions?limit=501")).AssertProblemAsync(400, "limit");
        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/revisions?cursor=nope")).AssertProblemAsync(400, "cursor");
    }

    [Fact]
    public async Task ListRevisions_Limit_PagesNewestFirstWithCursorAndLink()
    {
        var id = await NewLoadBalancerAsync();
        for (var i = 1; i <= 4; i++)
        {
            await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}?wait=false", $$"""{"description": "v{{i}}"}"""), HttpStatusCode.Accepted);
        }

        var seen = new List<long>();
        var url = $"/api/v1/loadbalancer/{id}/revisions?limit=2";
        var sizes = new List<int>();
        while (url is not null)
        {
            var response = await _client.GetAsync(url);
            var page = await OkAsync(Task.FromResult(response));
            var items = page["items"]!.AsArray();
            sizes.Add(items.Count);
            seen.AddRange(items.Select(r => (long)r!["revision"]!));
            var next = (string?)page["next_cursor"];
            if (next is null)
            {
                Assert.False(response.Headers.Contains("Link"));
                url = null;
            }
            else
            {
                var link = Assert.Single(response.Headers.GetValues("Link"));
                url = link[1..link.IndexOf('>', StringComparison.Ordinal)];
                Assert.Contains($"cursor={Uri.EscapeDataString(next)}", url, StringComparison.Ordinal);
            }
        }

        Assert.Equal([2, 2, 1], sizes);
        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Fact]
    public async Task Rollback_ToFirstRevision_RestoresSettingsAndPoolAsNewRevision()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "labels": {"env": "staging"},
             "backends": [{"host": "127.0.0.1", "port": 9001}, {"host": "127.0.0.1", "port": 9002}]}
            """);
        var id = (long)lb["id"]!;
        var ids = lb["backends"]!.AsArray().ToDictionary(b => (int)b!["port"]!, b => (long)b!["id"]!);
        await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}", """{"algorithm": "least_connections", "labels": {"env": "prod"}}"""));
        await OkAsync(SendAsync(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9003}"""), HttpStatusCode.Created);
        await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}/backends/{ids[9001]}", """{"weight": 5}"""));
        var first = (long)(await RevisionsAsync(id))[^1]!["revision"]!;

        var restored = await OkAsync(SendAsync(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/rollback", $$"""{"revision": {{first}}}""", actor: "alice"));

        Assert.Equal("round_robin", (string?)restored["algorithm"]);
        Assert.Equal("staging", (string?)restored["labels"]!["env"]);
        Assert.Equal("ACTIVE", (string?)restored["provisioning_status"]);
        var pool = restored["backends"]!.AsArray();
        Assert.Equal([9001, 9002], pool.Select(b => (int)b!["port"]!));
        Assert.Equal([ids[9001], ids[9002]], pool.Select(b => (long)b!["id"]!));
        Assert.All(pool, b => Assert.Equal(1, (int)b!["weight"]!));

        var newest = (await RevisionsAsync(id))[0]!;
        Assert.Equal("rollback", (string?)newest["action"]);
        Assert.Equal("alice", (string?)newest["actor"]);
        Assert.True((long)newest["revision"]! > first);
        var changes = Changes(newest);
        Assert.Equal($"rolled back to {first}", changes[0]);
        Assert.Contains("algorithm: least_connections -> round_robin", changes);
        Assert.Contains("labels.env: prod -> staging", changes);
        Assert.Contains("backend 127.0.0.1:9001 weight: 5 -> 1", changes);
        Assert.Contains("backend 127.0.0.1:9003 removed", changes);
    }

    [Fact]
    public async Task Rollback_UnknownRevision_Returns422AndRecordsNothing()
    {
        var id = await NewLoadBalancerAsync();
        var other = await NewLoadBalancerAsync();
        var othersRevision = (long)(await RevisionsAsync(other))[0]!["revision"]!;

        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollback", """{"revision": 1}""")).AssertProblemAsync(422, "revision");
        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollback", $$"""{"revision": {{othersRevision}}}""")).AssertProblemAsync(422, "revision");

        Assert.Single(await RevisionsAsync(id));
    }

    [Fact]
    public async Task Rollback_BadBody_Returns400NamingField()
    {
        var id = await NewLoadBalancerAsync();
        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollback", "{}")).AssertProblemAsync(400, "revision");
        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollback", """{"revision": 0}""")).AssertProblemAsync(400, "revision");
        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollback", """{"revision": "3"}""")).AssertProblemAsync(400, "revision");
        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollback", """{"revision": 3, "force": true}""")).AssertProblemAsync(400, "force");
    }

    [Fact]
    public async Task Rollback_UnknownLoadBalancer_Returns404()
    {
        await (await _client.PostJsonAsync("/api/v1/loadbalancer/999999999/rollback", """{"revision": 1}""")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Rollback_StaleIfMatch_Returns412AndChangesNothing()
    {
        var id = await NewLoadBalancerAsync(""", "description": "v1" """);
        var stale = (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).Headers.ETag!.Tag;
        await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}", """{"description": "v2"}"""));
        var first = (long)(await RevisionsAsync(id))[^1]!["revision"]!;

        await (await SendAsync(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/rollback", $$"""{"revision": {{first}}}""", ifMatch: stale)).AssertProblemAsync(412);

        Assert.Equal("v2", (string?)(await OkAsync(_client.GetAsync($"/api/v1/loadbalancer/{id}")))["description"]);
        Assert.Equal(2, (await RevisionsAsync(id)).Count);
        var current = (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).Headers.ETag!.Tag;
        var restored = await OkAsync(SendAsync(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/rollback", $$"""{"revision": {{first}}}""", ifMatch: current));
        Assert.Equal("v1", (string?)restored["description"]);
    }

    [Fact]
    public async Task Rollback_NameTakenSince_Returns409AndRecordsNothing()
    {
        var name = TestData.Unique();
        var id = await NewLoadBalancerAsync();
        var original = (string)(await OkAsync(_client.GetAsync($"/api/v1/loadbalancer/{id}")))["name"]!;
        var first = (long)(await RevisionsAsync(id))[0]!["revision"]!;
        await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}", $$"""{"name": "{{name}}"}"""));
        await _client.CreateLoadBalancerAsync($$"""{"name": "{{original}}"}""");

        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollback", $$"""{"revision": {{first}}}""")).AssertProblemAsync(409, "name");

        Assert.Equal(2, (await RevisionsAsync(id)).Count);
    }

    [Fact]
    public async Task CreateBackend_IdempotentReplay_RecordsOnce()
    {
        var id = await NewLoadBalancerAsync();
        var key = Guid.NewGuid().ToString();
        var url = $"/api/v1/loadbalancer/{id}/backends";
        await OkAsync(SendAsync(HttpMethod.Post, url, """{"host": "127.0.0.1", "port": 9001}""", idempotencyKey: key), HttpStatusCode.Created);
        await OkAsync(SendAsync(HttpMethod.Post, url, """{"host": "127.0.0.1", "port": 9001}""", idempotencyKey: key), HttpStatusCode.Created);

        Assert.Equal(["backend.create", "load_balancer.create"], (await RevisionsAsync(id)).Select(r => (string)r!["action"]!));
    }

    [Fact]
    public async Task CreateLoadBalancer_IdempotentReplay_RecordsOnce()
    {
        var key = Guid.NewGuid().ToString();
        var json = $$"""{"name": "{{TestData.Unique()}}"}""";
        var first = await OkAsync(SendAsync(HttpMethod.Post, "/api/v1/loadbalancer", json, idempotencyKey: key), HttpStatusCode.Created);
        await OkAsync(SendAsync(HttpMethod.Post, "/api/v1/loadbalancer", json, idempotencyKey: key), HttpStatusCode.Created);

        Assert.Single(await RevisionsAsync((long)first["id"]!));
    }

    [Fact]
    public async Task Writes_DryRun_RecordNothing()
    {
        var id = await NewLoadBalancerAsync();
        var first = (long)(await RevisionsAsync(id))[0]!["revision"]!;
        await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}", """{"description": "real"}"""));

        await OkAsync(SendAsync(HttpMethod.Patch, $"/api/v1/loadbalancer/{id}?dry_run=true", """{"description": "rehearsed"}"""));
        var rehearsal = await OkAsync(SendAsync(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/rollback?dry_run=true", $$"""{"revision": {{first}}}"""));

        Assert.True((bool)rehearsal["dry_run"]!);
        Assert.Null((string?)rehearsal["load_balancer"]!["description"]);
        Assert.Equal(2, (await RevisionsAsync(id)).Count);
        Assert.Equal("real", (string?)(await OkAsync(_client.GetAsync($"/api/v1/loadbalancer/{id}")))["description"]);
    }

    [Fact]
    public async Task Writes_FailedValidation_RecordNothing()
    {
        var id = await NewLoadBalancerAsync();
        var backend = await OkAsync(SendAsync(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9001}"""), HttpStatusCode.Created);

        await (await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}", """{"health_check": {"path": "no-slash"}}""")).AssertProblemAsync(400, "health_check.path");
        await (await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{backend["id"]}", """{"weight": 300}""")).AssertProblemAsync(400, "weight");
        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9001}""")).AssertProblemAsync(409, "port");

        Assert.Equal(2, (await RevisionsAsync(id)).Count);
    }

    [Fact]
    public async Task Write_InvalidActorHeader_Returns400NamingHeaderAndStoresNothing()
    {
        var name = TestData.Unique();
        await (await SendAsync(HttpMethod.Post, "/api/v1/loadbalancer", $$"""{"name": "{{name}}"}""", actor: new string('a', 257))).AssertProblemAsync(400, Actor);
        Assert.Empty((await OkAsync(_client.GetAsync($"/api/v1/loadbalancer?name={name}")))["items"]!.AsArray());

        var id = await NewLoadBalancerAsync();
        await (await SendAsync(HttpMethod.Post, $"/api/v1/loadbalancer/{id}/backends", """{"host": "127.0.0.1", "port": 9001}""", actor: "tab\there"))
            .AssertProblemAsync(400, Actor);
        Assert.Single(await RevisionsAsync(id));
        // Reads record nothing, so they do not care.
        await OkAsync(SendAsync(HttpMethod.Get, $"/api/v1/loadbalancer/{id}", actor: new string('a', 257)));
    }

    [Fact]
    public async Task PoolAndSettingsWrites_RecordTheirActions()
    {
        var id = await NewLoadBalancerAsync();
        var name = (string)(await OkAsync(_client.GetAsync($"/api/v1/loadbalancer/{id}")))["name"]!;
        var pool = await OkAsync(SendAsync(HttpMethod.Put, $"/api/v1/loadbalancer/{id}/backends",
            """[{"host": "127.0.0.1", "port": 9001}, {"host": "127.0.0.1", "port": 9002}]"""));
        await OkAsync(SendAsync(HttpMethod.Delete, $"/api/v1/loadbalancer/{id}/backends/{pool[1]!["id"]}?drain_timeout=0s"), HttpStatusCode.NoContent);
        await OkAsync(SendAsync(HttpMethod.Put, $"/api/v1/loadbalancer/{id}", $$"""{"name": "{{name}}", "max_connections": 100}"""));

        var revisions = await RevisionsAsync(id);

        Assert.Equal(["load_balancer.replace", "backend.delete", "backends.replace", "load_balancer.create"], revisions.Select(r => (string)r!["action"]!));
        Assert.Equal(["max_connections: (none) -> 100"], Changes(revisions[0]!));
        Assert.Equal(["backend 127.0.0.1:9002 removed"], Changes(revisions[1]!));
        Assert.Equal(["backend 127.0.0.1:9001 added", "backend 127.0.0.1:9002 added"], Changes(revisions[2]!));
    }

    [Fact]
    public async Task Revisions_KeepThree_PrunesOldest()
    {
        await using var pruning = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(),
            settings: new Dictionary<string, string?> { ["Revisions:Keep"] = "3" });
        var client = pruning.CreateClient();
        var id = (long)(await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}"""))["id"]!;
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PatchJsonAsync($"/api/v1/loadbalancer/{id}?wait=false", $$"""{"description": "v{{i}}"}""")).StatusCode);
        }

        var revisions = (await OkAsync(client.GetAsync($"/api/v1/loadbalancer/{id}/revisions")))["items"]!.AsArray();

        Assert.Equal([["description: v3 -> v4"], ["description: v2 -> v3"], ["description: v1 -> v2"]], revisions.Select(r => Changes(r!)));
    }
}
