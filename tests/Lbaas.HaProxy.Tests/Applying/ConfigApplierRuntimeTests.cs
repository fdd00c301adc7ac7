using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Tests.Support;
using static Lbaas.Testing.Models;

namespace Lbaas.HaProxy.Tests.Applying;

/// <summary>Server-only changes through the runtime API: same worker, file rewritten to match, reload when the runtime API refuses.</summary>
[Collection(HaProxyCollection.Name)]
public sealed class ConfigApplierRuntimeTests(ApplierFixture fixture) : ApplierTest
{
    private readonly int _port = FreePort.Next();
    private readonly TestBackend _alpha = fixture.Alpha;
    private readonly TestBackend _beta = fixture.Beta;

    [Fact]
    public async Task Apply_ServerAddedReweightedRemoved_RuntimeKeepsTheWorkerAndTheFileMatches()
    {
        var one = LbOver(1, _port, _alpha);
        var first = await Applier.ApplyAsync(HaProxy.Model(one));
        Assert.Equal(ApplyOutcome.Reloaded, first.Outcome);
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_port));

        var two = LbOver(1, _port, _alpha, _beta);
        var added = await Applier.ApplyAsync(HaProxy.Model(two));
        var reweighted = await Applier.ApplyAsync(HaProxy.Model(two with { Servers = [two.Servers[0], two.Servers[1] with { Weight = 5 }] }));
        var removed = await Applier.ApplyAsync(HaProxy.Model(two with { Servers = [two.Servers[1] with { Weight = 5 }] }));

        Assert.All(new[] { added, reweighted, removed }, r =>
        {
            Assert.Equal(ApplyOutcome.RuntimeApplied, r.Outcome);
            Assert.Equal(ApplyPath.Runtime, r.Path);
            Assert.False(r.Reloaded);
            Assert.Equal(first.WorkerPid, r.WorkerPid);
        });
        var processes = await HaProxy.Master.ShowProcAsync();
        Assert.Equal(first.WorkerPid, processes.CurrentWorker!.Pid);
        Assert.Equal(1, processes.Master.Reloads);
        Assert.Equal(5, (await HaProxy.Runtime.ShowStatAsync()).Single(r => r.ServiceName == "b_2").Weight);
        Assert.Equal("beta", await Http.GetAsync(_port));
        // The file is what runs: a fresh applier (an API restart) finds nothing to do.
        var text = await HaProxy.Writer.ReadAsync();
        Assert.Equal(text, await File.ReadAllTextAsync(HaProxy.Writer.LastGoodPath));
        Assert.DoesNotContain("server b_1 ", text, StringComparison.Ordinal);
        Assert.Equal(ApplyOutcome.Unchanged, (await Appliers.For(HaProxy).ApplyAsync(HaProxy.Model(two with { Servers = [two.Servers[1] with { Weight = 5 }] }))).Outcome);
    }

    [Fact]
    public async Task Apply_RuntimeCommandRefused_FallsBackToAReloadAndEndsLive()
    {
        var two = LbOver(1, _port, _alpha, _beta);
        var first = await Applier.ApplyAsync(HaProxy.Model(two));
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_port));
        // Someone removes b_2 behind the applier's back: setting its weight is then refused.
        await HaProxy.Runtime.ExecuteCheckedAsync(["set server lb_1/b_2 state maint", "del server lb_1/b_2"]);

        var result = await Applier.ApplyAsync(HaProxy.Model(two with { Servers = [two.Servers[0], two.Servers[1] with { Weight = 4 }] }));

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        Assert.Equal(ApplyPath.Reload, result.Path);
        Assert.True(result.RuntimeCommands > 0);
        Assert.Contains(result.Warnings, w => w.Contains("runtime API refused", StringComparison.Ordinal));
        Assert.NotEqual(first.WorkerPid, result.WorkerPid);
        Assert.Equal(4, (await HaProxy.Runtime.ShowStatAsync()).Single(r => r.ServiceName == "b_2").Weight);
    }

    [Fact]
    public async Task Apply_LoadBalancerSettingChanged_Reloads()
    {
        var one = LbOver(1, _port, _alpha);
        var first = await Applier.ApplyAsync(HaProxy.Model(one));

        var result = await Applier.ApplyAsync(HaProxy.Model(one with { Algorithm = BalanceAlgorithm.LeastConnections }));

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        Assert.Equal(0, result.RuntimeCommands);
        Assert.NotEqual(first.WorkerPid, result.WorkerPid);
    }
}
