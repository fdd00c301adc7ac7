using System.Net;
using Lbaas.Api.Tests.Infrastructure;

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
}
