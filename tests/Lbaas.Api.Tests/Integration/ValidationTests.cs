using System.Net;
using System.Text;
using Lbaas.Api.Tests.Infrastructure;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Bad input is 400 problem+json naming the field, and nothing is stored.</summary>
public sealed class ValidationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    public static TheoryData<string, string> InvalidLoadBalancers => new()
    {
        { """{"name": "Web LB"}""", "name" },
        { """{"name": "-web"}""", "name" },
        { "{\"name\": \"" + new string('a', 64) + "\"}", "name" },
        { """{"description": "x"}""", "name" },
        { "{\"name\": \"@\", \"description\": \"" + new string('d', 1025) + "\"}", "description" },
        { """{"name": "@", "frontend_port": 0}""", "frontend_port" },
        { """{"name": "@", "frontend_port": 65536}""", "frontend_port" },
        { """{"name": "@", "frontend_port": "80"}""", "frontend_port" },
        { """{"name": "@", "bind_address": "localhost"}""", "bind_address" },
        { """{"name": "@", "protocol": "udp"}""", "protocol" },
        { """{"name": "@", "algorithm": "fastest"}""", "algorithm" },
        { """{"name": "@", "algorithm": 1}""", "algorithm" },
        { """{"name": "@", "max_connections": 0}""", "max_connections" },
        { """{"name": "@", "health_check": {"type": "icmp"}}""", "health_check.type" },
        { """{"name": "@", "health_check": {"method": "DELETE"}}""", "health_check.method" },
        { """{"name": "@", "health_check": {"path": "/a b"}}""", "health_check.path" },
        { """{"name": "@", "health_check": {"path": "/a\"b"}}""", "health_check.path" },
        { """{"name": "@", "health_check": {"path": "/a\nb"}}""", "health_check.path" },
        { """{"name": "@", "health_check": {"path": "healthz"}}""", "health_check.path" },
        { """{"name": "@", "health_check": {"expected_status": "2xx"}}""", "health_check.expected_status" },
        { """{"name": "@", "health_check": {"interval": "5"}}""", "health_check.interval" },
        { """{"name": "@", "health_check": {"timeout": "0s"}}""", "health_check.timeout" },
        { """{"name": "@", "health_check": {"rise": 0}}""", "health_check.rise" },
        { """{"name": "@", "health_check": {"fall": 101}}""", "health_check.fall" },
        { """{"name": "@", "health_check": {"enabled": "yes"}}""", "health_check.enabled" },
        { """{"name": "@", "timeouts": {"connect": "forever"}}""", "timeouts.connect" },
        { """{"name": "@", "timeouts": {"client": "25h"}}""", "timeouts.client" },
        { """{"name": "@", "timeouts": {"server": "-1s"}}""", "timeouts.server" },
        { """{"name": "@", "labels": {"bad key": "x"}}""", "labels.bad key" },
        { """{"name": "@", "labels": {"env": 1}}""", "labels.env" },
        { """{"name": "@", "frontendport": 10080}""", "frontendport" },
        { """{"name": "@", "health_check": {"pathh": "/"}}""", "health_check.pathh" },
        { """{"name": "@", "backends": [{"host": "bad host", "port": 80}]}""", "backends[0].host" },
        { """{"name": "@", "backends": [{"host": "127.0.0.1"}]}""", "backends[0].port" },
        { """{"name": "@", "backends": [{"host": "127.0.0.1", "port": 80, "weight": 257}]}""", "backends[0].weight" },
        { """{"name": "@", "backends": [{"host": "127.0.0.1", "port": 80}, {"host": "127.0.0.1", "port": 80}]}""", "backends[1].port" },
        { """{"name": "@", "backends": [{"host": "127.0.0.1", "port": 80, "state": "paused"}]}""", "backends[0].state" },
    };

    [Theory]
    [MemberData(nameof(InvalidLoadBalancers))]
    public async Task CreateLoadBalancer_InvalidField_Returns400NamingFieldAndStoresNothing(string json, string field)
    {
        var name = TestData.Unique();
        var response = await _client.PostJsonAsync("/api/v1/loadbalancer", json.Replace("\"@\"", $"\"{name}\"", StringComparison.Ordinal));
        await response.AssertProblemAsync(400, field);
        var list = await (await _client.GetAsync($"/api/v1/loadbalancer?name={name}")).ReadNodeAsync();
        Assert.Empty(list["items"]!.AsArray());
    }

    [Theory]
    [InlineData("{\"name\": \"x\"")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("")]
    [InlineData("{\"name\": \"a\", \"name\": \"b\"}")]
    public async Task CreateLoadBalancer_MalformedBody_Returns400Problem(string body)
    {
        var response = await _client.PostJsonAsync("/api/v1/loadbalancer", body);
        await response.AssertProblemAsync(400);
    }

    [Fact]
    public async Task CreateLoadBalancer_WrongContentType_Returns415Problem()
    {
        var response = await _client.PostAsync("/api/v1/loadbalancer", new StringContent("""{"name": "x"}""", Encoding.UTF8, "text/plain"));
        await response.AssertProblemAsync(415);
    }

    [Fact]
    public async Task CreateLoadBalancer_OversizedBody_IsRejectedWithProblem()
    {
        var huge = "{\"name\": \"big\", \"description\": \"" + new string('x', 2 * 1024 * 1024) + "\"}";
        var response = await _client.PostJsonAsync("/api/v1/loadbalancer", huge);
        Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"got {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var list = await (await _client.GetAsync("/api/v1/loadbalancer?name=big")).ReadNodeAsync();
        Assert.Empty(list["items"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"host": "", "port": 80}""", "host")]
    [InlineData("""{"host": "a..b", "port": 80}""", "host")]
    [InlineData("""{"host": "h#1", "port": 80}""", "host")]
    [InlineData("""{"host": "127.0.0.1", "port": 0}""", "port")]
    [InlineData("""{"host": "127.0.0.1", "port": 70000}""", "port")]
    [InlineData("""{"host": "127.0.0.1", "port": 80, "weight": -1}""", "weight")]
    [InlineData("""{"host": "127.0.0.1", "port": 80, "name": "Bad Name"}""", "name")]
    [InlineData("""{"host": "127.0.0.1", "port": 80, "state": "on"}""", "state")]
    [InlineData("""{"host": "127.0.0.1", "port": 80, "backup": "no"}""", "backup")]
    [InlineData("""{"host": "127.0.0.1", "port": 80, "wieght": 2}""", "wieght")]
    public async Task CreateBackend_InvalidField_Returns400NamingFieldAndStoresNothing(string json, string field)
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var response = await _client.PostJsonAsync($"/api/v1/loadbalancer/{lb["id"]}/backends", json);
        await response.AssertProblemAsync(400, field);
        var backends = await (await _client.GetAsync($"/api/v1/loadbalancer/{lb["id"]}/backends")).ReadNodeAsync();
        Assert.Empty(backends.AsArray());
    }

    [Fact]
    public async Task List_InvalidQuery_Returns400NamingParameter()
    {
        await (await _client.GetAsync("/api/v1/loadbalancer?limit=0")).AssertProblemAsync(400, "limit");
        await (await _client.GetAsync("/api/v1/loadbalancer?limit=abc")).AssertProblemAsync(400, "limit");
        await (await _client.GetAsync("/api/v1/loadbalancer?cursor=garbage")).AssertProblemAsync(400, "cursor");
        await (await _client.GetAsync("/api/v1/loadbalancer?label=novalue")).AssertProblemAsync(400, "label");
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem()
    {
        await (await _client.GetAsync("/api/v1/nothing-here")).AssertProblemAsync(404);
    }
}
