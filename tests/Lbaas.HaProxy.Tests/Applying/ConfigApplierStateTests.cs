using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Tests.Support;
using static Lbaas.HaProxy.Tests.Applying.Pools;
using static Lbaas.Testing.Models;

namespace Lbaas.HaProxy.Tests.Applying;

/// <summary>
/// Runtime changes and reloads caused by _other load balancers, in either order: what one did, the
/// _other keeps, and what the desired model says always wins.
/// </summary>
[Collection(HaProxyCollection.Name)]
public sealed class ConfigApplierStateTests(ApplierFixture fixture) : ApplierTest
{
    private readonly int _port = FreePort.Next();
    private readonly int _otherPort = FreePort.Next();
    private readonly TestBackend _alpha = fixture.Alpha;
    private readonly TestBackend _beta = fixture.Beta;
    private readonly TestBackend _gamma = fixture.Gamma;
    private readonly TestBackend _other = fixture.Other;

    [Fact]
    public async Task Apply_ReloadForAnotherLoadBalancer_KeepsRuntimeWeightDrainMaintAndHealthDown()
    {
        // b_4 points at a _port nothing listens on until it is DOWN; then it answers, but needs
        // 100 good checks to rise (the most the API allows): it stays DOWN unless its state is forgotten.
        var deadPort = FreePort.Next();
        var dead = Server(4, deadPort);
        ServerModel[] servers = [Server(1, _alpha, weight: 2), Server(2, _beta, weight: 2), Server(3, _gamma, weight: 2), dead];
        Assert.Equal(ApplyOutcome.Reloaded, (await Applier.ApplyAsync(Model(servers, rise: 100))).Outcome);
        await WaitForStatusAsync(HaProxy, 1, 4, "DOWN");
        await using var revived = await TestBackend.StartAsync("revived", port: deadPort, keepAlive: false);
        ServerModel[] changed = [Server(1, _alpha, weight: 7), Server(2, _beta, weight: 2, ServerAdminState.Draining), Server(3, _gamma, weight: 2, ServerAdminState.Disabled), dead];
        var runtime = await Applier.ApplyAsync(Model(changed, rise: 100));
        Assert.Equal(ApplyOutcome.RuntimeApplied, runtime.Outcome);

        var reload = await Applier.ApplyAsync(Model(changed, rise: 100, withOther: true));

        Assert.Equal(ApplyOutcome.Reloaded, reload.Outcome);
        Assert.Empty(reload.Warnings);
        Assert.NotEqual(runtime.WorkerPid, reload.WorkerPid);
        Assert.Equal("other", await Http.GetWhenReadyAsync(_otherPort));
        Assert.Equal(7, await WeightAsync(HaProxy, 1, 1));
        Assert.StartsWith("DRAIN", await StatusAsync(HaProxy, 1, 2), StringComparison.Ordinal);
        Assert.StartsWith("MAINT", await StatusAsync(HaProxy, 1, 3), StringComparison.Ordinal);
        Assert.StartsWith("DOWN", await StatusAsync(HaProxy, 1, 4), StringComparison.Ordinal);
        await WaitUntilOnlyAsync(_port, "alpha");
    }

    [Fact]
    public async Task Apply_DrainedAtRuntimeReloadedThenEnabledAtRuntime_ComesBackAtTheDesiredWeight()
    {
        await Applier.ApplyAsync(Model([Server(1, _alpha, weight: 3), Server(2, _beta, weight: 5)]));
        Assert.Equal(ApplyOutcome.RuntimeApplied, (await Applier.ApplyAsync(Model([Server(1, _alpha, weight: 3), Server(2, _beta, weight: 5, ServerAdminState.Draining)]))).Outcome);
        Assert.Equal(ApplyOutcome.Reloaded, (await Applier.ApplyAsync(Model([Server(1, _alpha, weight: 3), Server(2, _beta, weight: 5, ServerAdminState.Draining)], withOther: true))).Outcome);
        // The file says weight 0 for a draining server, and the reload took it.
        Assert.StartsWith("DRAIN", await StatusAsync(HaProxy, 1, 2), StringComparison.Ordinal);

        var enabled = await Applier.ApplyAsync(Model([Server(1, _alpha, weight: 3), Server(2, _beta, weight: 5)], withOther: true));

        Assert.Equal(ApplyOutcome.RuntimeApplied, enabled.Outcome);
        Assert.Equal(5, await WeightAsync(HaProxy, 1, 2));
        await WaitForStatusAsync(HaProxy, 1, 2, "UP");
        await Eventually.Until(() => Http.GetAsync(_port), name => name == "beta", "a request served by the enabled server");
    }

    [Fact]
    public async Task Apply_DrainedAndDisabledAtRuntimeThenEnabledWithANewLoadBalancer_TheReloadEnablesThemAtTheirWeights()
    {
        // Measured: a state forced on the CLI survives a reload even to a file that says enabled,
        // unless the saved server state is reconciled with the file.
        await Applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _beta, weight: 4), Server(3, _gamma, weight: 6)]));
        var runtime = await Applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _beta, weight: 4, ServerAdminState.Draining), Server(3, _gamma, weight: 6, ServerAdminState.Disabled)]));
        Assert.Equal(ApplyOutcome.RuntimeApplied, runtime.Outcome);

        var reload = await Applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _beta, weight: 4), Server(3, _gamma, weight: 6)], withOther: true));

        Assert.Equal(ApplyOutcome.Reloaded, reload.Outcome);
        Assert.StartsWith("UP", await StatusAsync(HaProxy, 1, 2), StringComparison.Ordinal);
        // Out of maintenance, a server is checked before it takes traffic again.
        await WaitForStatusAsync(HaProxy, 1, 3, "UP");
        Assert.Equal(4, await WeightAsync(HaProxy, 1, 2));
        Assert.Equal(6, await WeightAsync(HaProxy, 1, 3));
    }

    [Fact]
    public async Task Apply_ServerPortChangedWithANewLoadBalancer_TrafficGoesToTheNewPort()
    {
        // Measured: the saved state's _port beats the file's, unless that server's line is dropped.
        await Applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _beta)]));

        var reload = await Applier.ApplyAsync(Model([Server(1, _alpha), Server(2, _gamma)], withOther: true));

        Assert.Equal(ApplyOutcome.Reloaded, reload.Outcome);
        // Spent by the reload: a later restart of HAProxy starts from the file alone.
        Assert.Equal("1\n", await File.ReadAllTextAsync(HaProxy.ServerStatePath));
        await Eventually.Until(() => Http.GetAsync(_port), name => name == "gamma", "a request served at the new _port");
        var served = _beta.Requests;
        Assert.DoesNotContain("beta", await AnswersAsync(_port, 6));
        Assert.Equal(served, _beta.Requests);
    }

    [Fact]
    public async Task Apply_WeightChangedAtRuntimeThenBackByAReload_TheDesiredWeightWins()
    {
        // The file's weight equals the one the worker started with, so HAProxy alone would keep the runtime 9.
        await Applier.ApplyAsync(Model([Server(1, _alpha, weight: 2), Server(2, _beta)]));
        Assert.Equal(ApplyOutcome.RuntimeApplied, (await Applier.ApplyAsync(Model([Server(1, _alpha, weight: 9), Server(2, _beta)]))).Outcome);

        var reload = await Applier.ApplyAsync(Model([Server(1, _alpha, weight: 2), Server(2, _beta)], withOther: true));

        Assert.Equal(ApplyOutcome.Reloaded, reload.Outcome);
        Assert.Equal(2, await WeightAsync(HaProxy, 1, 1));
    }

    private ConfigModel Model(ServerModel[] servers, int rise = 1, bool withOther = false) =>
        withOther
            ? HaProxy.Model(Lb(1, _port, servers).Checked(rise), LbOver(2, _otherPort, _other))
            : HaProxy.Model(Lb(1, _port, servers).Checked(rise));
}
