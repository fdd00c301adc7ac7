using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Integration;

/// <summary>Restarts on either side: the API converges HAProxy to the database, and reloads only when something changed.</summary>
public sealed class ConvergenceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ApiRestart_NothingChanged_DoesNotReload()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var haproxy = await ApiHaProxy.StartAsync();
        await using var backend = await TestBackend.StartAsync("a");
        var port = FreePort.Next();
        await using (var first = await ApiFactory.StartAsync(database, haproxy))
        {
            await first.CreateClient().CreateLoadBalancerAsync(
                $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");
        }
        Assert.True(await Traffic.AnsweredByAsync(port, "a"));
        var before = await haproxy.Master.ShowProcAsync();

        await using var second = await ApiFactory.StartAsync(database, haproxy);
        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().GetAsync("/health/ready")).StatusCode);
        var state = second.Services.GetRequiredService<ApplyState>();
        var last = await Eventually.Until(() => Task.FromResult(state.Last), l => l is not null, "the restarted API's first apply", TimeSpan.FromSeconds(10));
        Assert.Equal("Unchanged", last?.Outcome);
        var after = await haproxy.Master.ShowProcAsync();
        Assert.Equal(before.CurrentWorker!.Pid, after.CurrentWorker!.Pid);
        Assert.Equal(before.Master.Reloads, after.Master.Reloads);
    }

    /// <summary>
    /// A write wait longer than the client's timeout (a write that waited for a HAProxy known to be
    /// down would fail the test), and a tick too far away to help: only HaProxyWatch's wake-up
    /// brings the desired state back in time.
    /// </summary>
    private static readonly Dictionary<string, string?> UntilHaProxyAnswers = new() { ["Apply:WriteWait"] = "00:10:00", ["Apply:Tick"] = "00:10:00" };

    [Fact]
    public async Task HaProxyKilledAndRestarted_ChangesMadeMeanwhileConverge()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using var backend = await TestBackend.StartAsync("a");
        await using var api = await ApiFactory.StartAsync(database, settings: UntilHaProxyAnswers);
        var client = api.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        var firstPort = FreePort.Next();
        await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{firstPort}}, "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");

        await api.HaProxy.KillAsync();
        var ready = await client.GetAsync("/health/ready");
        var problem = await ready.AssertProblemAsync(503);
        Assert.Contains("haproxy_master_socket", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains("haproxy_runtime_socket", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal("unhealthy", (string?)problem["checks"]!["haproxy_runtime_socket"]!["status"]);
        Assert.Equal("healthy", (string?)problem["checks"]!["database"]!["status"]);

        var state = api.Services.GetRequiredService<ApplyState>();
        await Eventually.Until(() => Task.FromResult(state.HaProxyUnreachable), u => u is not null, "HAProxy known to be unreachable", TimeSpan.FromSeconds(10));
        var secondPort = FreePort.Next();
        var writeClock = Stopwatch.StartNew();
        var whileDown = await client.PostJsonAsync("/api/v1/loadbalancer",
            $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{secondPort}}, "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");
        var answeredIn = writeClock.Elapsed;
        Assert.Equal(HttpStatusCode.Accepted, whileDown.StatusCode);
        var pending = await whileDown.ReadNodeAsync();
        Assert.Equal("PENDING_CREATE", (string?)pending["provisioning_status"]);
        Assert.Equal(StatusRecorder.UnreachableReason, (string?)pending["status_reason"]);
        Assert.NotNull(whileDown.Headers.RetryAfter);

        var restartClock = Stopwatch.StartNew();
        await api.HaProxy.StartProcessAsync();
        var answering = restartClock.Elapsed;
        Assert.True(await Traffic.AnsweredByAsync(firstPort, "a"), "the first load balancer did not come back");
        Assert.True(await Traffic.AnsweredByAsync(secondPort, "a"), "the load balancer created while HAProxy was down did not converge");
        output.WriteLine($"write while down answered in {answeredIn.TotalMilliseconds:0} ms; HAProxy answered {answering.TotalMilliseconds:0} ms after its start, desired state live {restartClock.Elapsed.TotalMilliseconds:0} ms after it");
        // Traffic can flow a moment before the reconciler has recorded the status.
        Assert.Equal("ACTIVE", await client.WaitForProvisioningStatusAsync((long)pending["id"]!, "ACTIVE"));
        var readyAgain = await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.IsSuccessStatusCode, "ready again after HAProxy restarted");
        var checks = (await readyAgain.ReadNodeAsync())["checks"]!;
        Assert.Equal("healthy", (string?)checks["last_apply"]!["status"]);
    }

    [Fact]
    public async Task HaProxyDown_BackendWrites_Answer202AtOnceWithPendingReason_ThenGoLive()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var c = await TestBackend.StartAsync("c");
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(), settings: UntilHaProxyAnswers);
        var client = api.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        var port = FreePort.Next();
        var lb = await client.CreateLoadBalancerAsync($$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "backends": [{"host": "127.0.0.1", "port": {{a.Port}}}]}""");
        var pool = $"/api/v1/loadbalancer/{lb["id"]}/backends";
        var first = (long)lb["backends"]![0]!["id"]!;

        await api.HaProxy.KillAsync();
        var state = api.Services.GetRequiredService<ApplyState>();
        await Eventually.Until(() => Task.FromResult(state.HaProxyUnreachable), u => u is not null, "HAProxy known to be unreachable", TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        var added = await AssertPendingAsync(await client.PostJsonAsync(pool, $$"""{"host": "127.0.0.1", "port": {{b.Port}}}"""));
        var patched = await AssertPendingAsync(await client.PatchJsonAsync($"{pool}/{first}", """{"weight": 3}"""));
        Assert.Equal(3, (int)patched["weight"]!);
        var removal = await client.DeleteAsync($"{pool}/{(long)added["id"]!}?drain_timeout=0");
        await AssertPendingAsync(removal);
        var replaced = await client.PutJsonAsync(pool, $$"""[{"host": "127.0.0.1", "port": {{a.Port}}, "weight": 3}, {"host": "127.0.0.1", "port": {{c.Port}}}]""");
        Assert.Equal(HttpStatusCode.Accepted, replaced.StatusCode);
        Assert.NotNull(replaced.Headers.RetryAfter);
        Assert.All((await replaced.ReadNodeAsync()).AsArray(), backend => Assert.Equal(StatusRecorder.UnreachableReason, (string?)backend!["pending_reason"]));
        output.WriteLine($"four backend writes while HAProxy was down answered in {clock.ElapsedMilliseconds} ms");
        // A read says how the pool stands through the load balancer's status, not per backend.
        Assert.Null((await (await client.GetAsync($"{pool}/{first}")).ReadNodeAsync())["pending_reason"]);

        await api.HaProxy.StartProcessAsync();
        Assert.True(await Traffic.AnsweredByAsync(port, "c"), "the pool replaced while HAProxy was down is not served");
        var live = await Eventually.Until(() => client.GetAsync(pool), r => r.IsSuccessStatusCode, "the pool to be readable");
        Assert.Equal(new[] { a.Port, c.Port }.Order(), (await live.ReadNodeAsync()).AsArray().Select(n => (int)n!["port"]!).Order());
        Assert.Equal("ACTIVE", await client.WaitForProvisioningStatusAsync((long)lb["id"]!, "ACTIVE"));
    }

    /// <summary>202 with Retry-After, the backend's ETag and pending_reason saying HAProxy is unreachable.</summary>
    private static async Task<JsonNode> AssertPendingAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"expected 202, got {(int)response.StatusCode}: {raw}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.NotNull(response.Headers.ETag);
        var body = JsonNode.Parse(raw)!;
        Assert.Equal(StatusRecorder.UnreachableReason, (string?)body["pending_reason"]);
        return body;
    }
}
