using System.Diagnostics;
using System.Net;
using Lbaas.Api.Sync;
using Lbaas.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// HAProxy dies and comes back without a person: under its supervisor (deploy/haproxy/supervise.sh)
/// a killed worker or master is started again, and the API brings it to the desired state.
/// Times are measured and logged, not asserted beyond generous bounds.
/// </summary>
public sealed class SelfHealingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task KillWorker_UnderSupervisor_NewWorkerServesWithoutAPerson()
    {
        await using var haproxy = await TestHaProxy.StartAsync(supervised: true);
        await using var backend = await TestBackend.StartAsync("a");
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(), haproxy);
        var port = TestData.Port();
        await api.CreateClient().CreateLoadBalancerAsync(Spec(port, backend.Port));
        Assert.True(await Traffic.AnsweredByAsync(port, "a"));

        await using var load = Load.Start(port, clients: 4, keepAlive: false, maxRequests: 5_000, pause: TimeSpan.FromMilliseconds(5));
        await Eventually.Until(() => Task.FromResult(load.Answers.Values.Sum()), n => n >= 20, "load flowing before the kill");
        var killed = await haproxy.KillWorkerAsync();
        var recovery = await TimeUntilAnsweredAsync(port, "a");
        var worker = await Eventually.Until(haproxy.CurrentWorkerAsync, w => w is not null && w.Pid != killed, "a new worker", Bound);
        await Task.Delay(300);
        await load.StopAsync();

        output.WriteLine($"worker {killed} killed: traffic back after {recovery.TotalMilliseconds:0} ms on worker {worker!.Pid}; {load.Failures.Count} of {load.Sent} requests failed");
        Assert.NotEqual(killed, worker.Pid);
        Assert.Equal(20, (await Traffic.CountAsync(port, 20)).GetValueOrDefault("a"));
    }

    [Fact]
    public async Task KillMaster_UnderSupervisor_BackWithDesiredStateAndTakesWrites()
    {
        await using var haproxy = await TestHaProxy.StartAsync(supervised: true);
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(), haproxy);
        var client = api.CreateClient();
        var port = TestData.Port();
        var id = (long)(await client.CreateLoadBalancerAsync(Spec(port, a.Port)))["id"]!;
        Assert.True(await Traffic.AnsweredByAsync(port, "a"));

        await using var load = Load.Start(port, clients: 4, keepAlive: false, maxRequests: 5_000, pause: TimeSpan.FromMilliseconds(5));
        await Eventually.Until(() => Task.FromResult(load.Answers.Values.Sum()), n => n >= 20, "load flowing before the kill");
        var killed = await haproxy.KillMasterAsync();
        var recovery = await TimeUntilAnsweredAsync(port, "a");
        var master = await Eventually.Until(() => haproxy.Master.ShowProcAsync(), p => p.Master.Pid != killed && p.CurrentWorker is not null, "a new master", Bound);
        await Task.Delay(300);
        await load.StopAsync();
        output.WriteLine($"master {killed} killed: traffic back after {recovery.TotalMilliseconds:0} ms under master {master.Master.Pid}; {load.Failures.Count} of {load.Sent} requests failed");

        // The new master's worker is one the applier never made live: a change must still reach it.
        var put = await client.PutJsonAsync($"/api/v1/loadbalancer/{id}/backends",
            $$"""[{"host": "127.0.0.1", "port": {{a.Port}}}, {"host": "127.0.0.1", "port": {{b.Port}}}]""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True(await Traffic.AnsweredByAsync(port, "b"), "the pool changed after the master restarted is not served");
        Assert.Equal("ACTIVE", (string?)(await (await client.GetAsync($"/api/v1/loadbalancer/{id}")).ReadNodeAsync())["provisioning_status"]);
    }

    [Fact]
    public async Task SupervisorStartsOnOlderFile_ApiBringsDesiredStateBack()
    {
        await using var haproxy = await TestHaProxy.StartAsync(supervised: true);
        await using var backend = await TestBackend.StartAsync("a");
        await using var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(), haproxy);
        var port = TestData.Port();
        await api.CreateClient().CreateLoadBalancerAsync(Spec(port, backend.Port));
        Assert.True(await Traffic.AnsweredByAsync(port, "a"));
        var desired = await File.ReadAllTextAsync(haproxy.ConfigPath);

        // HAProxy gone, and it comes back on a configuration without the load balancer (a host
        // restored from an old disk, the supervisor's bootstrap fallback).
        await haproxy.KillAsync();
        await File.WriteAllTextAsync(haproxy.ConfigPath, await File.ReadAllTextAsync(haproxy.ConfigPath + ".bootstrap"));
        var clock = Stopwatch.StartNew();
        await haproxy.StartProcessAsync();
        var started = clock.Elapsed;
        var live = await TimeUntilAnsweredAsync(port, "a");
        output.WriteLine($"HAProxy answered {started.TotalMilliseconds:0} ms after its start; the load balancer served {live.TotalMilliseconds:0} ms later");
        Assert.Equal(desired, await File.ReadAllTextAsync(haproxy.ConfigPath));
    }

    /// <summary>How long until a request through <paramref name="port"/> is answered by <paramref name="name"/>; fails after <see cref="Bound"/>.</summary>
    private static async Task<TimeSpan> TimeUntilAnsweredAsync(int port, string name)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Bound)
        {
            try
            {
                if ((await Traffic.CountAsync(port, 1)).ContainsKey(name))
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(20);
        }
        Assert.Fail($"127.0.0.1:{port} was not answered by {name} within {Bound.TotalSeconds} s");
        return clock.Elapsed;
    }

    private static string Spec(int port, int backendPort) =>
        $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "backends": [{"host": "127.0.0.1", "port": {{backendPort}}}]}""";
}
