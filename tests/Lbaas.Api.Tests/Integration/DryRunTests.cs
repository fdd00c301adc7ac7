using System.Net;
using Lbaas.Api.Tests.Infrastructure;
using Npgsql;

namespace Lbaas.Api.Tests.Integration;

public sealed class DryRunTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task CreateDryRun_ValidatesWithHaProxyAndStoresNothing()
    {
        var name = TestData.Unique();
        var response = await _client.PostJsonAsync("/api/v1/loadbalancer?dry_run=true",
            $$"""{"name": "{{name}}", "algorithm": "leastconn", "backends": [{"host": "127.0.0.1", "port": 9001}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.ReadNodeAsync();
        Assert.True((bool)answer["dry_run"]!);
        Assert.True((bool)answer["valid"]!, (string?)answer["message"]);
        Assert.Equal(name, (string?)answer["load_balancer"]!["name"]);
        Assert.Contains("balance leastconn", (string?)answer["config"], StringComparison.Ordinal);

        var list = await (await _client.GetAsync($"/api/v1/loadbalancer?name={name}")).ReadNodeAsync();
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task CreateDryRun_Conflict_AnswersAsForReal()
    {
        var taken = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        await (await _client.PostJsonAsync("/api/v1/loadbalancer?dry_run=true", $$"""{"name": "{{taken["name"]}}"}""")).AssertProblemAsync(409, "name");
        await (await _client.PostJsonAsync("/api/v1/loadbalancer?dry_run=true", """{"name": "Bad Name"}""")).AssertProblemAsync(400, "name");
    }

    [Fact]
    public async Task PatchDryRun_ShowsResultButChangesNothing()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "description": "before"}""");
        var response = await _client.PatchJsonAsync($"/api/v1/loadbalancer/{lb["id"]}?dry_run=true", """{"description": "after", "algorithm": "source"}""");
        var answer = await response.ReadNodeAsync();
        Assert.Equal("after", (string?)answer["load_balancer"]!["description"]);
        Assert.Contains("balance source", (string?)answer["config"], StringComparison.Ordinal);
        var current = await (await _client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}")).ReadNodeAsync();
        Assert.Equal("before", (string?)current["description"]);
        Assert.Equal("round_robin", (string?)current["algorithm"]);
    }

    [Fact]
    public async Task Write_WaitFalse_Answers202Pending_AndPreferRespondAsyncToo()
    {
        var response = await _client.PostJsonAsync("/api/v1/loadbalancer?wait=false", $$"""{"name": "{{TestData.Unique()}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var lb = await response.ReadNodeAsync();
        Assert.Equal("PENDING_CREATE", (string?)lb["provisioning_status"]);
        Assert.NotNull(response.Headers.Location);

        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/loadbalancer/{lb["id"]}") { Content = HttpJson.Json("""{"description": "x"}""", "application/merge-patch+json") };
        request.Headers.Add("Prefer", "respond-async");
        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(request)).StatusCode);
    }

    private async Task<(long Id, long BackendId)> CreateWithBackendAsync()
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}]}""");
        return ((long)lb["id"]!, (long)lb["backends"]![0]!["id"]!);
    }

    private async Task<System.Text.Json.Nodes.JsonNode> StoredAsync(long id) => await (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).ReadNodeAsync();

    private static async Task<System.Text.Json.Nodes.JsonNode> AssertRehearsedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        var answer = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.True((bool)answer["dry_run"]!);
        Assert.True((bool)answer["valid"]!, (string?)answer["message"]);
        return answer;
    }

    [Fact]
    public async Task CreateBackendDryRun_ShowsServerAndStoresNothing()
    {
        var (id, _) = await CreateWithBackendAsync();
        var etag = (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).Headers.ETag!.Tag;

        var answer = await AssertRehearsedAsync(await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/backends?dry_run=true", """{"host": "127.0.0.1", "port": 9002}"""));

        Assert.Contains("127.0.0.1:9002", (string?)answer["config"], StringComparison.Ordinal);
        Assert.Equal(2, answer["load_balancer"]!["backends"]!.AsArray().Count);
        var stored = await _client.GetAsync($"/api/v1/loadbalancer/{id}");
        Assert.Single((await stored.ReadNodeAsync())["backends"]!.AsArray());
        Assert.Equal(HttpJson.RowTag(etag), HttpJson.RowTag(stored.Headers.ETag!.Tag));
    }

    [Fact]
    public async Task ReplaceBackendsDryRun_ShowsNewPoolAndStoresNothing()
    {
        var (id, _) = await CreateWithBackendAsync();

        var answer = await AssertRehearsedAsync(await _client.PutJsonAsync($"/api/v1/loadbalancer/{id}/backends?dry_run=true", """[{"host": "127.0.0.1", "port": 9003}]"""));

        Assert.Contains("127.0.0.1:9003", (string?)answer["config"], StringComparison.Ordinal);
        var stored = await StoredAsync(id);
        Assert.Equal(9001, (int)stored["backends"]![0]!["port"]!);
        Assert.Equal("enabled", (string?)stored["backends"]![0]!["state"]);
    }

    [Fact]
    public async Task PatchBackendDryRun_ShowsWeightAndChangesNothing()
    {
        var (id, backendId) = await CreateWithBackendAsync();

        var answer = await AssertRehearsedAsync(await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}/backends/{backendId}?dry_run=true", """{"weight": 7}"""));

        Assert.Equal(7, (int)answer["load_balancer"]!["backends"]![0]!["weight"]!);
        Assert.Equal(1, (int)(await StoredAsync(id))["backends"]![0]!["weight"]!);
    }

    [Fact]
    public async Task DeleteBackendDryRun_ShowsItDrainingAndKeepsIt()
    {
        var (id, backendId) = await CreateWithBackendAsync();

        var answer = await AssertRehearsedAsync(await _client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{backendId}?dry_run=true"));

        Assert.Equal("draining", (string?)answer["load_balancer"]!["backends"]![0]!["state"]);
        var stored = (await StoredAsync(id))["backends"]![0]!;
        Assert.Equal("enabled", (string?)stored["state"]);
        Assert.Null(stored["remove_by"]);
    }

    [Fact]
    public async Task DeleteLoadBalancerDryRun_ChecksConfigWithoutItAndKeepsIt()
    {
        var (id, _) = await CreateWithBackendAsync();

        var answer = await AssertRehearsedAsync(await _client.DeleteAsync($"/api/v1/loadbalancer/{id}?dry_run=true"));

        Assert.Equal(id, (long)answer["load_balancer"]!["id"]!);
        Assert.Equal("", (string?)answer["config"]);
        Assert.NotEqual("PENDING_DELETE", (string?)(await StoredAsync(id))["provisioning_status"]);
    }

    [Fact]
    public async Task DryRun_AnotherLoadBalancerTheApplyLeavesOut_FailsOnlyItsOwnDryRun()
    {
        await using var own = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync());
        var client = own.CreateClient();
        var good = await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9001}]}""");
        var bad = await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "backends": [{"host": "127.0.0.1", "port": 9002}]}""");
        // A value that slipped past the API (written by hand): the renderer refuses it, the apply leaves that load balancer out.
        await using (var connection = new NpgsqlConnection(own.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE backends SET host = 'not a host' WHERE load_balancer_id = @id", connection);
            command.Parameters.AddWithValue("id", (long)bad["id"]!);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var goodRun = await (await client.PatchJsonAsync($"/api/v1/loadbalancer/{good["id"]}?dry_run=true", """{"description": "after"}""")).ReadNodeAsync();
        var badRun = await (await client.PatchJsonAsync($"/api/v1/loadbalancer/{bad["id"]}?dry_run=true", """{"description": "after"}""")).ReadNodeAsync();

        Assert.True((bool)goodRun["valid"]!, (string?)goodRun["message"]);
        Assert.False((bool)badRun["valid"]!);
        Assert.Contains($"lb_{bad["id"]}", (string?)badRun["message"], StringComparison.Ordinal);
    }
}
