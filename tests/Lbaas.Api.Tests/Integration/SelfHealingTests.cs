using System.Diagnostics;
using System.Net;
using Lbaas.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Lbaas.Api.Tests.Integration;

/// <summary>
/// HAProxy dies and comes back without a person: under its supervisor (deploy/haproxy/supervise.sh)
/// a killed worker or master is started again, and the API brings it to the desired state.
/// Times are measured and logged, not asserted beyond generous bounds.
/// </summary>
public sealed class SelfHealingTests(ITestOutputHelper output)
{
    /// <summary>Generous bound for a new process or state to show up.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>Longest the data plane may stay without answers after a fault before the test fails (measured: about 0.2 s).</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task KillWorker_UnderSupervisor_NewWorkerServesWithoutAPerson()
    {
        await using var stack = await Serving.StartAsync();
        var (haproxy, port) = (stack.HaProxy, stack.Port);

        await using var load = Load.Start(port, clients: 4, keepAlive: false, maxRequests: 5_000, pause: TimeSpan.FromMilliseconds(5));
        await Eventually.Until(() => Task.FromResult(load.Answers.Values.Sum()), n => n >= 20, "load flowing before the kill");
        var killed = await haproxy.KillWorkerAsync();
        var recovery = await TimeUntilAnsweredAsync(port, "a");
        var worker = await Eventually.Until(haproxy.CurrentWorkerAsync, w => w is not null && w.Pid != killed, "a new worker", Bound);
        var answeredAtRecovery = load.Answers.GetValueOrDefault("a");
        await Eventually.Until(() => Task.FromResult(load.Answers.GetValueOrDefault("a")), n => n > answeredAtRecovery + 20, "the running load answered again", Bound);
        await load.StopAsync();

        output.WriteLine($"worker {killed} killed: traffic back after {recovery.TotalMilliseconds:0} ms on worker {worker!.Pid}; {load.Failures.Count} of {load.Sent} requests failed");
        Assert.Equal(20, (await Traffic.CountAsync(port, 20)).GetValueOrDefault("a"));
    }

    [Fact]
    public async Task KillMaster_UnderSupervisor_BackWithDesiredStateAndTakesWrites()
    {
        await using var stack = await Serving.StartAsync();
        await using var b = await TestBackend.StartAsync("b");
        var (haproxy, port, client) = (stack.HaProxy, stack.Port, stack.Api.CreateClient());

        await using var load = Load.Start(port, clients: 4, keepAlive: false, maxRequests: 5_000, pause: TimeSpan.FromMilliseconds(5));
        await Eventually.Until(() => Task.FromResult(load.Answers.Values.Sum()), n => n >= 20, "load flowing before the kill");
        var killed = await haproxy.KillMasterAsync();
        var recovery = await TimeUntilAnsweredAsync(port, "a");
        var master = await Eventually.Until(() => haproxy.Master.ShowProcAsync(), p => p.Master.Pid != killed && p.CurrentWorker is not null, "a new master", Bound);
        var answeredAtRecovery = load.Answers.GetValueOrDefault("a");
        await Eventually.Until(() => Task.FromResult(load.Answers.GetValueOrDefault("a")), n => n > answeredAtRecovery + 20, "the running load answered again", Bound);
        await load.StopAsync();
        output.WriteLine($"master {killed} killed: traffic back after {recovery.TotalMilliseconds:0} ms under master {master.Master.Pid}; {load.Failures.Count} of {load.Sent} requests failed");

        // The new master's worker is one the applier never made live: a change must still reach it.
        var put = await client.PutJsonAsync($"/api/v1/loadbalancer/{stack.Id}/backends",
            $$"""[{"host": "127.0.0.1", "port": {{stack.Backend.Port}}}, {"host": "127.0.0.1", "port": {{b.Port}}}]""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True(await Traffic.AnsweredByAsync(port, "b"), "the pool changed after the master restarted is not served");
        Assert.Equal("ACTIVE", (string?)(await (await client.GetAsync($"/api/v1/loadbalancer/{stack.Id}")).ReadNodeAsync())["provisioning_status"]);
    }

    [Fact]
    public async Task SupervisorStartsOnOlderFile_ApiBringsDesiredStateBack()
    {
        await using var stack = await Serving.StartAsync();
        var (haproxy, port) = (stack.HaProxy, stack.Port);
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

    [Fact]
    public async Task SupervisorStart_PortTakenMeanwhile_FallsBackAndOnlyThatLoadBalancerIsLeftOut()
    {
        await using var stack = await Serving.StartAsync();
        var (haproxy, client) = (stack.HaProxy, stack.Api.CreateClient());
        var takenPort = FreePort.Next();
        var taken = (long)(await client.CreateLoadBalancerAsync(
            $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{takenPort}}, "backends": [{"host": "127.0.0.1", "port": {{stack.Backend.Port}}}]}"""))["id"]!;
        Assert.True(await Traffic.AnsweredByAsync(takenPort, "a"));

        // HAProxy dies and, before it is back, another process takes one of its ports: the file on
        // disk (and its identical last-good copy) cannot start, the bootstrap can.
        await haproxy.KillAsync();
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, takenPort);
        squatter.Start();
        await haproxy.StartProcessAsync();

        Assert.True(File.Exists(haproxy.ConfigPath + ".failed"), haproxy.Log);
        await TimeUntilAnsweredAsync(stack.Port, "a");
        Assert.Equal("ERROR", await client.WaitForProvisioningStatusAsync(taken, "ERROR"));
        var reason = (string?)(await (await client.GetAsync($"/api/v1/loadbalancer/{taken}")).ReadNodeAsync())["status_reason"];
        Assert.Contains(takenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), reason, StringComparison.Ordinal);
    }

    /// <summary>How long until a request through <paramref name="port"/> is answered by <paramref name="name"/>; fails after <see cref="RecoveryBound"/>.</summary>
    private static async Task<TimeSpan> TimeUntilAnsweredAsync(int port, string name)
    {
        var clock = Stopwatch.StartNew();
        // Every 20 ms: the time is what is measured.
        await Eventually.Until(() => Traffic.AnsweredNowAsync(port, name), answered => answered, $"127.0.0.1:{port} to be answered by {name}", RecoveryBound, TimeSpan.FromMilliseconds(20));
        return clock.Elapsed;
    }

    /// <summary>A supervised HAProxy, an API driving it and one load balancer on <see cref="Port"/> serving backend "a".</summary>
    private sealed record Serving(TestHaProxy HaProxy, TestBackend Backend, ApiFactory Api, int Port, long Id) : IAsyncDisposable
    {
        public static async Task<Serving> StartAsync()
        {
            var haproxy = await ApiHaProxy.StartAsync(supervised: true);
            var backend = await TestBackend.StartAsync("a");
            var api = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync(), haproxy);
            var port = FreePort.Next();
            var created = await api.CreateClient().CreateLoadBalancerAsync(
                $$"""{"name": "{{TestData.Unique()}}", "frontend_port": {{port}}, "backends": [{"host": "127.0.0.1", "port": {{backend.Port}}}]}""");
            Assert.True(await Traffic.AnsweredByAsync(port, "a"), "the load balancer does not serve before the fault");
            return new Serving(haproxy, backend, api, port, (long)created["id"]!);
        }

        public async ValueTask DisposeAsync()
        {
            await Api.DisposeAsync();
            await Backend.DisposeAsync();
            await HaProxy.DisposeAsync();
        }
    }
}
