using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// Operating status read from the real HAProxy's health checks of real backends: DOWN with the
/// check's reason, DEGRADED, OFFLINE, back to UP and ONLINE, and the transitions recorded on the way.
/// </summary>
public sealed class HealthStatusTests(HealthStatusTests.Fixture api, ITestOutputHelper output) : IClassFixture<HealthStatusTests.Fixture>
{
    /// <summary>Checks every 300 ms, down after 2 failures; scrapes every 500 ms (the ApiFactory default).</summary>
    private const int IntervalMs = 300;
    private const int Fall = 2;
    private const int ScrapeMs = 500;

    private readonly HttpClient _client = api.CreateClient();

    public sealed class Fixture : IAsyncLifetime
    {
        private ApiFactory? _factory;

        public HttpClient CreateClient() => _factory!.CreateClient();

        public async Task InitializeAsync() => _factory = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(),
            settings: new Dictionary<string, string?> { ["Monitoring:OnlineWait"] = "00:00:04" });

        public async Task DisposeAsync()
        {
            if (_factory is not null)
            {
                await _factory.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task BackendsStoppedAndRestarted_StatusFollowsWithReasonsAndTransitions()
    {
        var a = await TestBackend.StartAsync("a");
        var b = await TestBackend.StartAsync("b");
        var (portA, portB) = (a.Port, b.Port);
        try
        {
            var response = await _client.PostJsonAsync("/api/v1/loadbalancer?wait_for=online", $$"""
                {"name": "{{TestData.Unique()}}",
                 "health_check": {"interval": "{{IntervalMs}}ms", "timeout": "{{IntervalMs}}ms", "fall": {{Fall}}, "rise": 1},
                 "backends": [{"name": "web-a", "host": "127.0.0.1", "port": {{portA}}}, {"name": "web-b", "host": "127.0.0.1", "port": {{portB}}}]}
                """);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var lb = await response.ReadNodeAsync();
            Assert.Equal("ONLINE", (string?)lb["operating_status"]);
            var id = (long)lb["id"]!;
            var idA = (long)lb["backends"]![0]!["id"]!;

            await a.DisposeAsync();
            var clock = Stopwatch.StartNew();
            var degraded = await StatusUntil(id, s => (string?)s["operating_status"] == "DEGRADED", "DEGRADED after web-a stopped",
                TimeSpan.FromMilliseconds(Fall * IntervalMs + ScrapeMs) + Slack);
            var downA = Backend(degraded, idA);
            Assert.Equal("DOWN", (string?)downA["operating_status"]);
            Assert.StartsWith("L4CON", (string?)downA["operating_reason"]);
            Assert.Contains("connection refused", (string?)downA["operating_reason"], StringComparison.Ordinal);
            Assert.Equal("L4CON", (string?)downA["check"]!["status"]);
            Assert.Contains("web-a", (string?)degraded["operating_reason"], StringComparison.Ordinal);
            Assert.NotNull((string?)downA["operating_since"]);
            var measured = clock.Elapsed;

            await b.DisposeAsync();
            var offline = await StatusUntil(id, s => (string?)s["operating_status"] == "OFFLINE", "OFFLINE after both stopped",
                TimeSpan.FromMilliseconds(Fall * IntervalMs + ScrapeMs) + Slack);
            Assert.StartsWith("all 2 backends down", (string?)offline["operating_reason"]);

            a = await TestBackend.StartAsync("a", port: portA);
            b = await TestBackend.StartAsync("b", port: portB);
            var online = await StatusUntil(id, s => (string?)s["operating_status"] == "ONLINE", "ONLINE after both restarted", TimeSpan.FromSeconds(10));
            Assert.All(online["backends"]!.AsArray(), x => Assert.Equal("UP", (string?)x!["operating_status"]));
            Assert.All(online["backends"]!.AsArray(), x => Assert.Equal("L7OK", (string?)x!["check"]!["status"]));

            var lbTransitions = online["transitions"]!.AsArray().Where(t => t!["backend_id"] is null).Select(t => (string?)t!["to"]).Reverse().ToList();
            Assert.Equal(["ONLINE", "DEGRADED", "OFFLINE", "ONLINE"], lbTransitions.SkipWhile(t => t != "ONLINE").Take(4).ToList());
            var aTransitions = online["transitions"]!.AsArray().Where(t => (long?)t!["backend_id"] == idA).Select(t => (string?)t!["to"]).Reverse().ToList();
            Assert.Equal(["UP", "DOWN", "UP"], aTransitions.SkipWhile(t => t != "UP").Take(3).ToList());

            var got = await (await _client.GetAsync($"/api/v1/loadbalancer/{id}")).ReadNodeAsync();
            Assert.Equal("ONLINE", (string?)got["operating_status"]);
            Assert.All(got["backends"]!.AsArray(), x => Assert.Equal("UP", (string?)x!["operating_status"]));
            output.WriteLine($"web-a stopped -> DOWN and DEGRADED seen through the API after {measured.TotalMilliseconds:F0} ms (bound {Fall} x {IntervalMs} ms + one {ScrapeMs} ms scrape)");
            Assert.True(measured < TimeSpan.FromMilliseconds(Fall * IntervalMs + ScrapeMs) + Slack, $"DEGRADED took {measured}");
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task Create_WaitForOnline_BackendDown_Answers202AfterTheBound()
    {
        var clock = Stopwatch.StartNew();
        var response = await _client.PostJsonAsync("/api/v1/loadbalancer?wait_for=online", $$"""
            {"name": "{{TestData.Unique()}}", "health_check": {"interval": "{{IntervalMs}}ms", "fall": 1},
             "backends": [{"host": "127.0.0.1", "port": {{FreePort.Next()}}}]}
            """);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var lb = await response.ReadNodeAsync();
        Assert.Equal("ACTIVE", (string?)lb["provisioning_status"]);
        Assert.Equal("OFFLINE", (string?)lb["operating_status"]);
        Assert.Equal("DOWN", (string?)lb["backends"]![0]!["operating_status"]);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Create_WaitForOnlineWithoutHealthChecks_AnswersNoMonitor()
    {
        await using var backend = await TestBackend.StartAsync("a");
        var response = await _client.PostJsonAsync("/api/v1/loadbalancer?wait_for=online", $$"""
            {"name": "{{TestData.Unique()}}", "health_check": {"enabled": false}, "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}
            """);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var lb = await response.ReadNodeAsync();
        Assert.Equal("NO_MONITOR", (string?)lb["operating_status"]);
        Assert.Equal("NO_CHECK", (string?)lb["backends"]![0]!["operating_status"]);
    }

    [Theory]
    [InlineData("?wait_for=healthy")]
    [InlineData("?wait_for=")]
    [InlineData("?wait_for=online&wait=false")]
    public async Task Create_BadWaitFor_Returns400AndStoresNothing(string query)
    {
        var name = TestData.Unique();
        await (await _client.PostJsonAsync("/api/v1/loadbalancer" + query, $$"""{"name": "{{name}}"}""")).AssertProblemAsync(400, "wait_for");

        var list = await (await _client.GetAsync($"/api/v1/loadbalancer?name={name}")).ReadNodeAsync();
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Patch_WaitForOnline_ChecksThatNowFail_AreNotTakenForOnline()
    {
        await using var backend = await TestBackend.StartAsync("a");
        var created = await _client.PostJsonAsync("/api/v1/loadbalancer?wait_for=online", $$"""
            {"name": "{{TestData.Unique()}}", "health_check": {"interval": "{{IntervalMs}}ms", "fall": {{Fall}}, "rise": 1},
             "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (long)(await created.ReadNodeAsync())["id"]!;

        // The reload carries the passed checks over; the new expectation fails from the first check on.
        var patched = await _client.PatchJsonAsync($"/api/v1/loadbalancer/{id}?wait_for=online", """{"health_check": {"expected_status": "500"}}""");

        Assert.Equal(HttpStatusCode.Accepted, patched.StatusCode);
        var lb = await patched.ReadNodeAsync();
        Assert.Equal("ACTIVE", (string?)lb["provisioning_status"]);
        Assert.NotEqual("ONLINE", (string?)lb["operating_status"]);
        var status = await StatusUntil(id, s => (string?)s["backends"]![0]!["operating_status"] == "DOWN", "DOWN on the new expectation", TimeSpan.FromSeconds(10));
        Assert.StartsWith("L7STS 200", (string?)status["backends"]![0]!["operating_reason"]);
    }

    [Theory]
    [InlineData("?wait_for=bogus")]
    [InlineData("?wait_for=online&wait=false")]
    public async Task Rollback_BadWaitFor_Returns400AndRecordsNothing(string query)
    {
        var lb = await _client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}"}""");
        var id = (long)lb["id"]!;
        var before = (await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/revisions")).ReadNodeAsync())["items"]!.AsArray().Count;

        await (await _client.PostJsonAsync($"/api/v1/loadbalancer/{id}/rollback{query}", """{"revision": 1}""")).AssertProblemAsync(400, "wait_for");

        var after = (await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/revisions")).ReadNodeAsync())["items"]!.AsArray().Count;
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task AdminStates_ShowAsDrainingAndMaint_AndDoNotDegrade()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var c = await TestBackend.StartAsync("c");
        var lb = await _client.CreateLoadBalancerAsync($$"""
            {"name": "{{TestData.Unique()}}", "health_check": {"interval": "{{IntervalMs}}ms"},
             "backends": [{"host": "127.0.0.1", "port": {{a.Port}}},
                          {"host": "127.0.0.1", "port": {{b.Port}}, "state": "draining"},
                          {"host": "127.0.0.1", "port": {{c.Port}}, "state": "disabled"}]}
            """);
        var id = (long)lb["id"]!;

        var status = await StatusUntil(id, s => (string?)s["operating_status"] == "ONLINE"
            && s["backends"]!.AsArray().All(x => x!["operating_status"] is not null), "ONLINE with every backend seen", TimeSpan.FromSeconds(10));

        var states = status["backends"]!.AsArray().Select(x => (string?)x!["operating_status"]).ToList();
        Assert.Equal(["UP", "DRAINING", "MAINT"], states);
        Assert.Equal("disabled by the operator", (string?)status["backends"]![2]!["operating_reason"]);
    }

    [Fact]
    public async Task Status_UnknownLoadBalancer_Returns404()
    {
        await (await _client.GetAsync("/api/v1/loadbalancer/987654321/status")).AssertProblemAsync(404);
    }

    /// <summary>Thread scheduling, the check's own timeout and the HTTP round trips on a busy 2-core machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private async Task<JsonNode> StatusUntil(long id, Func<JsonNode, bool> condition, string what, TimeSpan timeout) =>
        await Eventually.Until(async () => await (await _client.GetAsync($"/api/v1/loadbalancer/{id}/status")).ReadNodeAsync(), condition, what, timeout);

    private static JsonNode Backend(JsonNode status, long id) => status["backends"]!.AsArray().Single(x => (long)x!["id"]! == id)!;
}
