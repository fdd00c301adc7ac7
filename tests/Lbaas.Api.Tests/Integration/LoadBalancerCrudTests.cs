using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

public sealed class LoadBalancerCrudTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task CreateLoadBalancer_FullSpecWithBackends_ReturnsEverythingStored()
    {
        var name = TestData.Unique();
        var port = FreePort.Next();
        var lb = await _client.CreateLoadBalancerAsync($$"""
            {
              "name": "{{name}}", "description": "staging web", "protocol": "http", "frontend_port": {{port}},
              "bind_address": "127.0.0.1", "algorithm": "least_connections",
              "health_check": {"enabled": true, "type": "http", "method": "HEAD", "path": "/healthz?full=1",
                               "expected_status": "200,204", "interval": "500ms", "timeout": "1s", "rise": 3, "fall": 4},
              "timeouts": {"connect": "2s", "client": "1m", "server": "90s"},
              "max_connections": 5000,
              "labels": {"env": "staging", "team": "web"},
              "backends": [{"host": "127.0.0.1", "port": 9001, "weight": 3, "name": "web-1"},
                           {"host": "localhost", "port": 9002, "backup": true, "state": "draining"}]
            }
            """);

        Assert.Equal(name, (string?)lb["name"]);
        Assert.Equal("staging web", (string?)lb["description"]);
        Assert.Equal(port, (int)lb["frontend_port"]!);
        Assert.Equal("least_connections", (string?)lb["algorithm"]);
        Assert.Equal("HEAD", (string?)lb["health_check"]!["method"]);
        Assert.Equal("/healthz?full=1", (string?)lb["health_check"]!["path"]);
        Assert.Equal("200,204", (string?)lb["health_check"]!["expected_status"]);
        Assert.Equal("500ms", (string?)lb["health_check"]!["interval"]);
        Assert.Equal(4, (int)lb["health_check"]!["fall"]!);
        Assert.Equal("1m", (string?)lb["timeouts"]!["client"]);
        Assert.Equal("90s", (string?)lb["timeouts"]!["server"]);
        Assert.Equal(5000, (int)lb["max_connections"]!);
        Assert.Equal("staging", (string?)lb["labels"]!["env"]);
        Assert.Equal("ACTIVE", (string?)lb["provisioning_status"]);
        Assert.NotNull((string?)lb["operating_status"]);
        var backends = lb["backends"]!.AsArray();
        Assert.Equal(2, backends.Count);
        Assert.Equal(3, (int)backends[0]!["weight"]!);
        Assert.Equal("draining", (string?)backends[1]!["state"]);
        Assert.True((bool)backends[1]!["backup"]!);
        Assert.EndsWith("+00:00", (string?)lb["created_at"]);
    }

    [Fact]
    public async Task CreateLoadBalancer_Defaults_AreApplied()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        Assert.Equal("http", (string?)lb["protocol"]);
        Assert.Equal("round_robin", (string?)lb["algorithm"]);
        Assert.Equal("127.0.0.1", (string?)lb["bind_address"]);
        Assert.Equal("http", (string?)lb["health_check"]!["type"]);
        Assert.Equal("200-399", (string?)lb["health_check"]!["expected_status"]);
        Assert.Equal("5s", (string?)lb["timeouts"]!["connect"]);
        Assert.InRange((int)lb["frontend_port"]!, 10000, 19999);
    }

    [Fact]
    public async Task CreateLoadBalancer_NoPort_AllocatesDistinctPortsFromRange()
    {
        var ports = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
            ports.Add((int)lb["frontend_port"]!);
        }
        Assert.Equal(3, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 10000, 19999));
    }

    [Fact]
    public async Task GetLoadBalancer_ReturnsETagAndBackends()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}]}""");
        var response = await _client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var body = await response.ReadNodeAsync();
        Assert.Single(body["backends"]!.AsArray());
    }

    [Fact]
    public async Task GetLoadBalancer_UnknownId_Returns404Problem()
    {
        await (await _client.GetAsync("/api/v1/loadbalancer/987654321")).AssertProblemAsync(404);
        await (await _client.PutJsonAsync("/api/v1/loadbalancer/987654321", """{"name": "x"}""")).AssertProblemAsync(404);
        await (await _client.PatchJsonAsync("/api/v1/loadbalancer/987654321", """{"description": "x"}""")).AssertProblemAsync(404);
        await (await _client.DeleteAsync("/api/v1/loadbalancer/987654321")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task ReplaceLoadBalancer_ReplacesSettingsAndKeepsPort()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "description": "old", "labels": {"a": "1"}, "backends": [{"host": "127.0.0.1", "port": 9001}]}""");
        var newName = TestData.Unique();
        var response = await _client.PutJsonAsync($"/api/v1/loadbalancer/{lb["id"]}", $$"""{"name": "{{newName}}", "algorithm": "source", "labels": {"b": "2"} }""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var replaced = await response.ReadNodeAsync();
        Assert.Equal(newName, (string?)replaced["name"]);
        Assert.Null(replaced["description"]);
        Assert.Equal("source_ip", (string?)replaced["algorithm"]);
        Assert.Equal((int)lb["frontend_port"]!, (int)replaced["frontend_port"]!);
        Assert.Null(replaced["labels"]!["a"]);
        Assert.Equal("2", (string?)replaced["labels"]!["b"]);
        Assert.Single(replaced["backends"]!.AsArray());
    }

    [Fact]
    public async Task ReplaceLoadBalancer_WithBackends_ReplacesSetKeepingMatchedIds()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}, {"host": "127.0.0.1", "port": 9002}]}""");
        var keptId = (long)lb["backends"]![0]!["id"]!;
        var response = await _client.PutJsonAsync($"/api/v1/loadbalancer/{lb["id"]}",
            $$"""{"name": "{{lb["name"]}}", "backends": [{"host": "127.0.0.1", "port": 9001, "weight": 5}, {"host": "127.0.0.1", "port": 9003}]}""");
        var body = await response.ReadNodeAsync();
        var backends = body["backends"]!.AsArray();
        Assert.Equal(2, backends.Count);
        Assert.Equal(keptId, (long)backends[0]!["id"]!);
        Assert.Equal(5, (int)backends[0]!["weight"]!);
        Assert.Equal(9003, (int)backends[1]!["port"]!);
    }

    [Fact]
    public async Task PatchLoadBalancer_MergePatch_ChangesOnlyGivenFields()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "description": "keep", "labels": {"env": "staging", "team": "web"}, "health_check": {"path": "/old"} }""");
        var response = await _client.PatchJsonAsync($"/api/v1/loadbalancer/{lb["id"]}",
            """{"algorithm": "leastconn", "labels": {"team": null, "tier": "front"}, "health_check": {"rise": 5}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var patched = await response.ReadNodeAsync();
        Assert.Equal("keep", (string?)patched["description"]);
        Assert.Equal("least_connections", (string?)patched["algorithm"]);
        Assert.Equal("staging", (string?)patched["labels"]!["env"]);
        Assert.Null(patched["labels"]!["team"]);
        Assert.Equal("front", (string?)patched["labels"]!["tier"]);
        Assert.Equal("/old", (string?)patched["health_check"]!["path"]);
        Assert.Equal(5, (int)patched["health_check"]!["rise"]!);
        Assert.NotEqual((string?)lb["updated_at"], (string?)patched["updated_at"]);
    }

    [Fact]
    public async Task PatchLoadBalancer_ApplicationJson_IsAcceptedToo()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var response = await _client.PatchJsonAsync($"/api/v1/loadbalancer/{lb["id"]}", """{"description": "via json"}""", "application/json");
        Assert.Equal("via json", (string?)(await response.ReadNodeAsync())["description"]);
    }

    [Fact]
    public async Task PatchLoadBalancer_InvalidValue_Returns400AndChangesNothing()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "description": "before"}""");
        var response = await _client.PatchJsonAsync($"/api/v1/loadbalancer/{lb["id"]}", """{"description": "after", "health_check": {"path": "no-slash"}}""");
        await response.AssertProblemAsync(400, "health_check.path");
        var current = await (await _client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}")).ReadNodeAsync();
        Assert.Equal("before", (string?)current["description"]);
    }

    [Fact]
    public async Task PatchLoadBalancer_UnknownField_Returns400NamingIt()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var response = await _client.PatchJsonAsync($"/api/v1/loadbalancer/{lb["id"]}", """{"frontendport": 1234}""");
        await response.AssertProblemAsync(400, "frontendport");
    }

    [Fact]
    public async Task DeleteLoadBalancer_RemovesItWithItsBackends()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}]}""");
        var backendId = (long)lb["backends"]![0]!["id"]!;
        var deleted = await _client.DeleteAsync($"/api/v1/loadbalancer/{lb["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(deleted.Headers.ETag);
        await (await _client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}/backends/{backendId}")).AssertProblemAsync(404);
        // The name is free again.
        await _client.CreateLoadBalancerAsync(new JsonObject { ["name"] = (string?)lb["name"] }.ToJsonString());
    }

    [Fact]
    public async Task GetConfig_ReturnsItsRenderedSections()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "algorithm": "source", "health_check": {"path": "/healthz"}, "backends": [{"host": "127.0.0.1", "port": 9001, "weight": 3}]}""");
        var response = await _client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}/config");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains($"frontend lb_{lb["id"]}", text, StringComparison.Ordinal);
        Assert.Contains($"backend lb_{lb["id"]}", text, StringComparison.Ordinal);
        Assert.Contains("balance source", text, StringComparison.Ordinal);
        Assert.Contains("/healthz", text, StringComparison.Ordinal);
        Assert.Contains($"server b_{lb["backends"]![0]!["id"]} 127.0.0.1:9001 weight 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("global", text, StringComparison.Ordinal);
        await (await _client.GetAsync("/api/v1/loadbalancer/987654321/config")).AssertProblemAsync(404);
    }
}
