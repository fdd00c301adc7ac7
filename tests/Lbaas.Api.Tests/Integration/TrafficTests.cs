using System.Net;
using System.Net.Sockets;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Stored changes become live traffic: real HTTP through the real HAProxy to Kestrel backends.</summary>
public sealed class TrafficTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<(long Id, int Port)> CreateAsync(string algorithm, params (TestBackend Backend, int Weight)[] backends)
    {
        var port = FreePort.Next();
        var pool = string.Join(", ", backends.Select(b => $$"""{"host": "127.0.0.1", "port": {{b.Backend.Port}}, "weight": {{b.Weight}}, "name": "{{b.Backend.Name}}"}"""));
        var lb = await _client.CreateLoadBalancerAsync(
            $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "algorithm": "{{algorithm}}", "health_check": {"interval": "200ms"}, "backends": [{{pool}}]}""");
        Assert.Equal("ACTIVE", (string?)lb["provisioning_status"]);
        return ((long)lb["id"]!, port);
    }

    [Fact]
    public async Task RoundRobin_SpreadsEvenlyOverThreeBackends()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var c = await TestBackend.StartAsync("c");
        var (_, port) = await CreateAsync("roundrobin", (a, 1), (b, 1), (c, 1));
        Assert.True(await Traffic.AnsweredByAsync(port, "a", "b", "c"));

        var answers = await Traffic.CountAsync(port, 90);
        Assert.All(new[] { "a", "b", "c" }, name => Assert.InRange(answers.GetValueOrDefault(name), 25, 35));
    }

    [Fact]
    public async Task Weights_OneToThree_GiveAboutAQuarterAndThreeQuarters()
    {
        await using var light = await TestBackend.StartAsync("light");
        await using var heavy = await TestBackend.StartAsync("heavy");
        var (_, port) = await CreateAsync("weighted_round_robin", (light, 1), (heavy, 3));
        Assert.True(await Traffic.AnsweredByAsync(port, "light", "heavy"));

        var answers = await Traffic.CountAsync(port, 100);
        Assert.InRange(answers.GetValueOrDefault("light"), 18, 32);
        Assert.InRange(answers.GetValueOrDefault("heavy"), 68, 82);
    }

    [Fact]
    public async Task SourceIp_KeepsOneClientOnOneBackend()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var c = await TestBackend.StartAsync("c");
        var (_, port) = await CreateAsync("source_ip", (a, 1), (b, 1), (c, 1));
        Assert.True(await Traffic.AnsweredByAsync(port, "a", "b", "c"));

        var answers = await Traffic.CountAsync(port, 30);
        Assert.Single(answers);
    }

    [Fact]
    public async Task RemovedBackend_GetsNoMoreRequests()
    {
        await using var stay = await TestBackend.StartAsync("stay");
        await using var go = await TestBackend.StartAsync("go");
        var (id, port) = await CreateAsync("roundrobin", (stay, 1), (go, 1));
        Assert.True(await Traffic.AnsweredByAsync(port, "go"));

        var backends = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/backends")).ReadNodeAsync();
        var goId = backends.AsArray().Single(b => (string?)b!["name"] == "go")!["id"];
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/v1/loadbalancer/{id}/backends/{goId}")).StatusCode);

        var answers = await Traffic.CountAsync(port, 20);
        Assert.Equal(20, answers.GetValueOrDefault("stay"));
    }

    [Fact]
    public async Task DeletedLoadBalancer_PortCloses()
    {
        await using var a = await TestBackend.StartAsync("a");
        var (id, port) = await CreateAsync("roundrobin", (a, 1));
        Assert.True(await Traffic.AnsweredByAsync(port, "a"));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/v1/loadbalancer/{id}")).StatusCode);
        Assert.False(Traffic.IsListening(port));
        await (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task PortHeldByAnotherProcess_GivesErrorWhileOthersKeepServing()
    {
        await using var a = await TestBackend.StartAsync("a");
        var (_, servingPort) = await CreateAsync("roundrobin", (a, 1));
        Assert.True(await Traffic.AnsweredByAsync(servingPort, "a"));

        var heldPort = FreePort.Next();
        using var squatter = new TcpListener(IPAddress.Loopback, heldPort);
        squatter.Start();
        var response = await _client.PostJsonAsync("/api/v1/loadbalancer",
            $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{heldPort}}, "backends": [{"host": "127.0.0.1", "port": {{a.Port}}}]}""");
        var lb = await response.ReadNodeAsync();
        Assert.Equal("ERROR", (string?)lb["provisioning_status"]);
        Assert.Contains(heldPort.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)lb["status_reason"], StringComparison.Ordinal);

        var answers = await Traffic.CountAsync(servingPort, 20);
        Assert.Equal(20, answers.GetValueOrDefault("a"));

        // ERROR is not terminal: once the port is free, the periodic apply brings it up.
        squatter.Stop();
        Assert.True(await Traffic.AnsweredByAsync(heldPort, "a"), "the load balancer did not come up once its port was free");
    }
}
