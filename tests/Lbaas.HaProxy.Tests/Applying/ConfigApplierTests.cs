using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Tests.Sockets;
using Lbaas.HaProxy.Tests.Support;

namespace Lbaas.HaProxy.Tests.Applying;

[Collection(HaProxyCollection.Name)]
public sealed class ConfigApplierTests : IAsyncLifetime
{
    private readonly int _alphaPort = FreePort.Next();
    private readonly int _betaPort = FreePort.Next();
    private TestBackend _alpha = null!;
    private TestBackend _beta = null!;
    private HaProxyInstance _haproxy = null!;
    private ConfigApplier _applier = null!;

    public async Task InitializeAsync()
    {
        _alpha = new TestBackend("alpha");
        _beta = new TestBackend("beta");
        // Started the way deploy/local starts it: running an initial file no applier has confirmed.
        _haproxy = await HaProxyInstance.StartAsync(h => h.Model());
        _applier = Appliers.For(_haproxy);
    }

    public async Task DisposeAsync()
    {
        await _haproxy.DisposeAsync();
        await _alpha.DisposeAsync();
        await _beta.DisposeAsync();
    }

    [Fact]
    public async Task Apply_FirstModel_ReloadsAndTheBackendAnswers()
    {
        var before = await _haproxy.Master.ShowProcAsync();

        var result = await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha)));

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        Assert.True(result.Reloaded);
        Assert.True(result.ReloadAttempted);
        Assert.True(result.IsLive);
        Assert.Empty(result.Excluded);
        Assert.NotEqual(before.CurrentWorker!.Pid, result.WorkerPid);
        Assert.Matches("^[0-9a-f]{64}$", result.TextHash);
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));
        Assert.Equal(await _haproxy.Writer.ReadAsync(), await File.ReadAllTextAsync(_haproxy.Writer.LastGoodPath));
    }

    [Fact]
    public async Task Apply_SameModelTwice_SecondIsUnchangedAndTheWorkerStays()
    {
        var model = _haproxy.Model(Lb(1, _alphaPort, _alpha));
        var first = await _applier.ApplyAsync(model);

        var second = await _applier.ApplyAsync(model);
        // A restarted API has a new applier and nothing in memory: the files alone must say "unchanged".
        var third = await Appliers.For(_haproxy).ApplyAsync(model);

        Assert.Equal(ApplyOutcome.Reloaded, first.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, second.Outcome);
        Assert.Equal(ApplyOutcome.Unchanged, third.Outcome);
        Assert.False(second.Reloaded);
        Assert.Equal(first.TextHash, second.TextHash);
        Assert.Equal(first.WorkerPid, second.WorkerPid);
        var processes = await _haproxy.Master.ShowProcAsync();
        Assert.Equal(first.WorkerPid, processes.CurrentWorker!.Pid);
        Assert.Equal(1, processes.Master.Reloads);
        Assert.Equal("alpha", await Http.GetAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_SecondLoadBalancerAdded_ReloadsWithANewWorkerAndBothAnswer()
    {
        var first = await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha)));

        var second = await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha), Lb(2, _betaPort, _beta)));

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
        await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha), Lb(2, _betaPort, _beta)));
        Assert.Equal("beta", await Http.GetWhenReadyAsync(_betaPort));

        var result = await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha)));

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        await Eventually.Until(() => Tcp.RefusesAsync(_betaPort), refused => refused, $"port {_betaPort} to close");
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_Reload_KeepsARuntimeWeightThroughTheServerStateFile()
    {
        await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha)));
        await _haproxy.Runtime.ExecuteCheckedAsync(["set weight lb_1/b_1 7"]);

        var result = await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha), Lb(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        Assert.Empty(result.Warnings);
        var weight = await _haproxy.Runtime.ExecuteAsync("get weight lb_1/b_1");
        Assert.StartsWith("7 ", weight.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_FileWrittenButNeverReloaded_ReloadsInsteadOfCallingItUnchanged()
    {
        await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha)));
        var model = _haproxy.Model(Lb(1, _alphaPort, _alpha), Lb(2, _betaPort, _beta));
        // As if the process died between the atomic write and the reload.
        await _haproxy.Writer.WriteAsync(_applier.Renderer.Render(model));

        var result = await _applier.ApplyAsync(model);

        Assert.Equal(ApplyOutcome.Reloaded, result.Outcome);
        Assert.Equal("beta", await Http.GetWhenReadyAsync(_betaPort));
    }

    [Fact]
    public async Task Apply_WhileAnotherApplyRuns_Refused()
    {
        var model = _haproxy.Model(Lb(1, _alphaPort, _alpha));

        var first = _applier.ApplyAsync(model);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _applier.ApplyAsync(model));

        Assert.Equal(ApplyOutcome.Reloaded, (await first).Outcome);
    }

    [Fact]
    public async Task IsRunning_LiveHaProxy_True()
    {
        Assert.True(await _applier.IsRunningAsync());
    }

    internal static LoadBalancerModel Lb(long id, int port, params TestBackend[] backends) => MasterSocketClientTests.Lb(id, port, backends);
}
