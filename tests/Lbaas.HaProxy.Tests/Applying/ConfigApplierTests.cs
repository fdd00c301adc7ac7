using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Tests.Support;
using static Lbaas.Testing.Models;

namespace Lbaas.HaProxy.Tests.Applying;

[Collection(HaProxyCollection.Name)]
public sealed class ConfigApplierTests(ApplierFixture fixture) : ApplierTest
{
    private readonly int _alphaPort = FreePort.Next();
    private readonly int _betaPort = FreePort.Next();
    private readonly TestBackend _alpha = fixture.Alpha;
    private readonly TestBackend _beta = fixture.Beta;

    [Fact]
    public async Task Apply_FirstModel_ReloadsAndTheBackendAnswers()
    {
        var before = await HaProxy.Master.ShowProcAsync();

        var result = await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha)));

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        Assert.True(result.Reloaded);
        Assert.True(result.ReloadAttempted);
        Assert.True(result.IsLive);
        Assert.Empty(result.Excluded);
        Assert.NotEqual(before.CurrentWorker!.Pid, result.WorkerPid);
        Assert.Matches("^[0-9a-f]{64}$", result.TextHash);
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));
        Assert.Equal(await HaProxy.Writer.ReadAsync(), await File.ReadAllTextAsync(HaProxy.Writer.LastGoodPath));
    }

    [Fact]
    public async Task Apply_SameModelTwice_SecondIsUnchangedAndTheWorkerStays()
    {
        var model = HaProxy.Model(LbOver(1, _alphaPort, _alpha));
        var first = await Applier.ApplyAsync(model);

        var second = await Applier.ApplyAsync(model);
        // A restarted API has a new applier and nothing in memory: the files alone must say "unchanged".
        var third = await Appliers.For(HaProxy).ApplyAsync(model);

        Assert.Equal(ApplyOutcome.Reloaded, first.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, second.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, third.Outcome);
        Assert.False(second.Reloaded);
        Assert.Equal(first.TextHash, second.TextHash);
        Assert.Equal(first.WorkerPid, second.WorkerPid);
        var processes = await HaProxy.Master.ShowProcAsync();
        Assert.Equal(first.WorkerPid, processes.CurrentWorker!.Pid);
        Assert.Equal(1, processes.Master.Reloads);
        Assert.Equal("alpha", await Http.GetAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_SecondLoadBalancerAdded_ReloadsWithANewWorkerAndBothAnswer()
    {
        var first = await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha)));

        var second = await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha), LbOver(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.Reloaded, second.Outcome);
        Assert.NotNull(second.WorkerPid);
        Assert.NotEqual(first.WorkerPid, second.WorkerPid);
        Assert.NotEqual(first.TextHash, second.TextHash);
        Assert.Equal("beta", await Http.GetWhenReadyAsync(_betaPort));
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_LoadBalancerRemoved_ItsPortRefusesConnections()
    {
        await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha), LbOver(2, _betaPort, _beta)));
        Assert.Equal("beta", await Http.GetWhenReadyAsync(_betaPort));

        var result = await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha)));

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        await Eventually.Until(() => Tcp.RefusesAsync(_betaPort), refused => refused, $"port {_betaPort} to close");
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_Reload_KeepsARuntimeWeightThroughTheServerStateFile()
    {
        await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha)));
        await HaProxy.Runtime.ExecuteCheckedAsync(["set weight lb_1/b_1 7"]);

        var result = await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha), LbOver(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        Assert.Empty(result.Warnings);
        var weight = await HaProxy.Runtime.ExecuteAsync("get weight lb_1/b_1");
        Assert.StartsWith("7 ", weight.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_FileWrittenButNeverReloaded_ReloadsInsteadOfCallingItUnchanged()
    {
        await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha)));
        var model = HaProxy.Model(LbOver(1, _alphaPort, _alpha), LbOver(2, _betaPort, _beta));
        // As if the process died between the atomic write and the reload.
        await HaProxy.Writer.WriteAsync(Applier.Renderer.Render(model));

        var result = await Applier.ApplyAsync(model);

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        Assert.Equal("beta", await Http.GetWhenReadyAsync(_betaPort));
    }

    [Fact]
    public async Task Apply_WhileAnotherApplyRuns_Refused()
    {
        var model = HaProxy.Model(LbOver(1, _alphaPort, _alpha));

        var first = Applier.ApplyAsync(model);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Applier.ApplyAsync(model));

        Assert.Equal(ApplyOutcome.Reloaded, (await first).Outcome);
    }

    [Fact]
    public async Task IsRunning_LiveHaProxy_True()
    {
        Assert.True(await Applier.IsRunningAsync());
    }
}
