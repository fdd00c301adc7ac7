using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

public sealed class ListTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task List_ByLabels_ReturnsOnlyThoseMatchingAll()
    {
        var run = TestData.Unique("run");
        var staging = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "labels": {"run": "{{run}}", "env": "staging", "team": "web"} }""");
        await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "labels": {"run": "{{run}}", "env": "prod", "team": "web"} }""");
        await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "labels": {"run": "{{run}}", "env": "staging", "team": "db"} }""");

        var both = await (await _client.GetAsync($"/api/v1/loadbalancer?label=run={run}&label=env=staging&label=team=web")).ReadNodeAsync();
        Assert.Equal([(long)staging["id"]!], Ids(both));
        var byRun = await (await _client.GetAsync($"/api/v1/loadbalancer?label=run={run}")).ReadNodeAsync();
        Assert.Equal(3, Ids(byRun).Count);
        var none = await (await _client.GetAsync($"/api/v1/loadbalancer?label=run={run}&label=env=dev")).ReadNodeAsync();
        Assert.Empty(Ids(none));
    }

    [Fact]
    public async Task List_ByName_ReturnsExactMatch()
    {
        var name = TestData.Unique();
        await _client.CreateLoadBalancerAsync($$"""{"name": "{{name}}"}""");
        await _client.CreateLoadBalancerAsync($$"""{"name": "{{name}}-other"}""");
        var page = await (await _client.GetAsync($"/api/v1/loadbalancer?name={name}")).ReadNodeAsync();
        Assert.Equal(name, (string?)Assert.Single(page["items"]!.AsArray())!["name"]);
    }

    [Fact]
    public async Task List_Pagination_WalksAllPagesInStableOrderWithoutRepeats()
    {
        var run = TestData.Unique("run");
        var created = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((long)(await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "labels": {"run": "{{run}}"} }"""))["id"]!);
        }

        var seen = new List<long>();
        var url = $"/api/v1/loadbalancer?label=run={run}&limit=3";
        var pages = 0;
        while (url is not null && pages < 10)
        {
            var response = await _client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadNodeAsync();
            Assert.True(page["items"]!.AsArray().Count <= 3);
            seen.AddRange(Ids(page));
            var cursor = (string?)page["next_cursor"];
            if (cursor is not null)
            {
                var link = response.Headers.GetValues("Link").Single();
                Assert.Contains("rel=\"next\"", link, StringComparison.Ordinal);
                Assert.Contains(Uri.EscapeDataString(cursor), link, StringComparison.Ordinal);
                url = link[1..link.IndexOf('>', StringComparison.Ordinal)];
            }
            else
            {
                url = null;
            }
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(created, seen);
    }

    private static List<long> Ids(JsonNode page) => page["items"]!.AsArray().Select(i => (long)i!["id"]!).ToList();
}
