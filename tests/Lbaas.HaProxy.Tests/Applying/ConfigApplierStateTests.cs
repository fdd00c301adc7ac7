using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Tests.Support;
using static Lbaas.HaProxy.Tests.Applying.Pools;

namespace Lbaas.HaProxy.Tests.Applying;

/// <summary>
/// Runtime changes and reloads caused by other load balancers, in either order: what one did, the
/// other keeps, and what the desired model says always wins.
/// </summary>
[Collection(HaProxyCollection.Name)]
public sealed class ConfigApplierStateTests : IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private readonly int _otherPort = FreePort.Next();
    private TestBackend _alpha = null!;
    private TestBackend _beta = null!;
    private TestBackend _gamma = null!;
    private TestBackend _other = null!;
    private HaProxyInstance _haproxy = null!;
    private ConfigApplier _applier = null!;

    public async Task InitializeAsync()
    {
        _alpha = new TestBackend("alpha");
        _beta = new TestBackend("beta");
        _gamma = new TestBackend("gamma");
        _other = new TestBackend("other");
        _haproxy = await HaProxyInstance.StartAsync(h => h.Model());
        _applier = Appliers.For(_haproxy);
    }

    public async Task DisposeAsync()
    {
        await _haproxy.DisposeAsync();
        await _alpha.DisposeAsync();
        await _beta.DisposeAsync();
        await _gamma.DisposeAsync();
        await _other.DisposeAsync();
    }

    [Fact]
    public async Task Apply_ReloadForAnotherLoadBalancer_KeepsRuntimeWeightDrainMaintAndHealthDown()
    {
        // b_4 points at a port nothing listens on until it is DOWN; then it answers, but needs
        // 100 good checks to rise (the most the API allows): it stays DOWN unless its state is forgotten.
        var deadPort = FreePort.Next();
        var dead = new ServerModel { Id = 4, Host = "127.0.0.1", Port = deadPort };
        ServerModel[] servers = [Server(1, _alpha, weight: 2), Server(2, _beta, weight: 2), Server(3, _gamma, weight: 2), dead];
        Assert.Equal(ApplyOutcome.Reloaded, (await _applier.ApplyAsync(Model(servers, rise: 100))).Outcome);
        await WaitForStatusAsync(_haproxy, 1, 4, "DOWN");
        await using var revived = new TestBackend("revived", deadPort);
        ServerModel[] changed = [Server(1, _alpha, weight: 7), Server(2, _beta, weight: 2, ServerAdminState.Draining), Server(3, _gamma, weight: 2, ServerAdminState.Disabled), dead];
        var runtime = await _applier.ApplyAsync(Model(changed, rise: 100));
        Assert.Equal(ApplyOutcome.RuntimeApplied, runtime.Outcome);

        var reload = await _applier.ApplyAsync(Model(changed, rise: 100, withOther: true));

        Assert.Equal(ApplyOutcome.Reloaded, reload.Outcome);
        Assert.Empty(reload.Warnings);
        Assert.NotEqual(runtime.WorkerPid, reload.WorkerPid);
        Assert.Equal("other", await Http.GetWhenReadyAsync(_otherPort));
        Assert.Equal(7, await WeightAsync(_haproxy, 1, 1));
        Assert.StartsWith("DRAIN", await StatusAsync(_haproxy, 1, 2), StringComparison.Ordinal);
        Assert.StartsWith("MAINT", await StatusAsync(_haproxy, 1, 3), StringComparison.Ordinal);
        Assert.StartsWith("DOWN", await StatusAsync(_haproxy, 1, 4), StringComparison.Ordinal);
        await WaitUntilOnlyAsync(_port, "alpha");
    }

    [Fact]
    public async Task Apply_DrainedAtRuntimeReloadedThenEnabledAtRuntime_ComesBackAtTheDesiredWeight()
    {
        await _applier.ApplyAsync(Model([Server(1, _alpha, weight: 3), Server(2, _beta, weight: 5)]));
        Assert.Equal(ApplyOutcome.RuntimeApplied, (await _applier.ApplyAsync(Model([Server(1, _alpha, weight: 3), Server(2, _beta, weight: 5, ServerAdminState.Draining)]))).Outcome);
        Assert.Equal(ApplyOutcome.Reloaded, (await _applier.ApplyAsync(Model([Server(1, _alpha, weight: 3), Server(2, _beta, weight: 5, ServerAdminState.Draining)], withOther: true))).Outcome);
        // The file says weight 0 for a draining server, and the reload took it.
        Assert.StartsWith("DRAIN", await StatusAsync(_haproxy, 1, 2), StringComparison.Ordinal);

        var enabled = await _applier.ApplyAsync(Model([Server(1, _alpha, weight: 3), Server(2, _beta, weight: 5)], withOther: true));

        Assert.Equal(ApplyOutcome.RuntimeApplied, enabled.Outcome);
        Assert.Equal(5, await WeightAsync(_haproxy, 1, 2));
        await WaitForStatusAsync(_haproxy, 1, 2, "UP");
        await Eventually.Until(() => Http.GetAsync(_port), name => name == "beta", "a request served by the enabled server");
    }

    [Fact]
    public async Task Apply_DrainedAndDisabledAtRuntimeThenEnabledWithANewLoadBalancer_TheReloadEnablesThemAtTheirWeights()
    {
        // Measured: a state forced on the CLI survives a reload even to a file that says enabled,
        // unless the saved server state is reconciled with the file.
        await _applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _beta, weight: 4), Server(3, _gamma, weight: 6)]));
        var runtime = await _applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _beta, weight: 4, ServerAdminState.Draining), Server(3, _gamma, weight: 6, ServerAdminState.Disabled)]));
        Assert.Equal(ApplyOutcome.RuntimeApplied, runtime.Outcome);

        var reload = await _applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _beta, weight: 4), Server(3, _gamma, weight: 6)], withOther: true));

        Assert.Equal(ApplyOutcome.Reloaded, reload.Outcome);
        Assert.StartsWith("UP", await StatusAsync(_haproxy, 1, 2), StringComparison.Ordinal);
        // Out of maintenance, a server is checked before it takes traffic again.
        await WaitForStatusAsync(_haproxy, 1, 3, "UP");
        Assert.Equal(4, await WeightAsync(_haproxy, 1, 2));
        Assert.Equal(6, await WeightAsync(_haproxy, 1, 3));
    }

    [Fact]
    public async Task Apply_ServerPortChangedWithANewLoadBalancer_TrafficGoesToTheNewPort()
    {
        // Measured: the saved state's port beats the file's, unless that server's line is dropped.
        await _applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _beta)]));

        var reload = await _applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _gamma)], withOther: true));

        Assert.Equal(ApplyOutcome.Reloaded, reload.Outcome);
        // Spent by the reload: a later restart of HAProxy starts from the file alone.
        Assert.Equal("1\n", await File.ReadAllTextAsync(_haproxy.ServerStatePath));
        await Eventually.Until(() => Http.GetAsync(_port), name => name == "gamma", "a request served at the new port");
        var served = _beta.Requests;
        Assert.DoesNotContain("beta", await AnswersAsync(_port, 6));
        Assert.Equal(served, _beta.Requests);
    }

    [Fact]
    public async Task Apply_WeightChangedAtRuntimeThenBackByAReload_TheDesiredWeightWins()
    {
        // The file's weight equals the one the worker started with, so HAProxy alone would keep the runtime 9.
        await _applier.ApplyAsync(Model([Server(1, _alpha, weight: 2), Server(2, _beta)]));
        Assert.Equal(ApplyOutcome.RuntimeApplied, (await _applier.ApplyAsync(Model([Server(1, _alpha, weight: 9), Server(2, _beta)]))).Outcome);

        var reload = await _applier.ApplyAsync(Model([Server(1, _alpha, weight: 2), Server(2, _beta)], withOther: true));

        Assert.Equal(ApplyOutcome.Reloaded, reload.Outcome);
        Assert.Equal(2, await WeightAsync(_haproxy, 1, 1));
    }

    private ConfigModel Model(ServerModel[] servers, int rise = 1, bool withOther = false) =>
        withOther
            ? _haproxy.Model(Lb(1, _port, servers, rise), Lb(2, _otherPort, [Server(1, _other)]))
            : _haproxy.Model(Lb(1, _port, servers, rise));
}
