using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Tests.Support;

namespace Lbaas.HaProxy.Tests.Applying;

/// <summary>Every refusal leaves HAProxy serving what it served before, and says why.</summary>
[Collection(HaProxyCollection.Name)]
public sealed class ConfigApplierFailureTests : IAsyncLifetime
{
    private readonly int _alphaPort = FreePort.Next();
    private readonly int _betaPort = FreePort.Next();
    private TestBackend _alpha = null!;
    private TestBackend _beta = null!;
    private TestBackend _gamma = null!;
    private HaProxyInstance _haproxy = null!;
    private ConfigApplier _applier = null!;
    private ApplyResult _live = null!;

    public async Task InitializeAsync()
    {
        _alpha = new TestBackend("alpha");
        _beta = new TestBackend("beta");
        _gamma = new TestBackend("gamma");
        _haproxy = await HaProxyInstance.StartAsync(h => h.Model());
        _applier = Appliers.For(_haproxy);
        _live = await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha)));
        Assert.Equal(ApplyOutcome.Reloaded, _live.Outcome);
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));
    }

    public async Task DisposeAsync()
    {
        await _haproxy.DisposeAsync();
        await _alpha.DisposeAsync();
        await _beta.DisposeAsync();
        await _gamma.DisposeAsync();
    }

    [Fact]
    public async Task Apply_PortHeldByAnotherProcess_ExcludesThatLoadBalancerAndTheOthersServe()
    {
        var busy = Tcp.Occupy();
        var busyPort = Tcp.PortOf(busy);
        try
        {
            var model = _haproxy.Model(Lb(1, _alphaPort, _alpha), Lb(2, _betaPort, _beta), Lb(3, busyPort, _gamma));

            var result = await _applier.ApplyAsync(model);

            Assert.Equal(ApplyOutcome.PartiallyApplied, result.Outcome);
            Assert.True(result.Reloaded);
            Assert.True(result.IsLive);
            var excluded = Assert.Single(result.Excluded);
            Assert.Equal(3, excluded.Id);
            Assert.Contains($"127.0.0.1:{busyPort}", excluded.Reason, StringComparison.Ordinal);
            Assert.Contains("Address already in use", excluded.Reason, StringComparison.Ordinal);
            Assert.Contains("lb_3", result.Message, StringComparison.Ordinal);
            Assert.Equal("beta", await Http.GetWhenReadyAsync(_betaPort));
            Assert.Equal("alpha", await Http.GetAsync(_alphaPort));
            Assert.True(await _applier.IsRunningAsync());

            // The next tick asks again: same answer, and no reload for it.
            var again = await _applier.ApplyAsync(model);

            Assert.Equal(ApplyOutcome.PartiallyApplied, again.Outcome);
            Assert.False(again.Reloaded);
            Assert.Equal(result.WorkerPid, again.WorkerPid);
            Assert.Equal(3, Assert.Single(again.Excluded).Id);

            // Once the port is free, the same model goes live whole.
            busy.Stop();
            var freed = await _applier.ApplyAsync(model);

            Assert.Equal(ApplyOutcome.Reloaded, freed.Outcome);
            Assert.Empty(freed.Excluded);
            Assert.Equal("gamma", await Http.GetWhenReadyAsync(busyPort));
        }
        finally
        {
            busy.Dispose();
        }
    }

    [Fact]
    public async Task Apply_StatsPortHeldByAnotherProcess_PortsUnavailableAndNothingWritten()
    {
        using var busy = Tcp.Occupy();
        var before = await _haproxy.Writer.ReadAsync();
        var model = _haproxy.Model(Lb(1, _alphaPort, _alpha)) with { Stats = new StatsSettings { Port = Tcp.PortOf(busy) } };

        var result = await _applier.ApplyAsync(model);

        Assert.Equal(ApplyOutcome.PortsUnavailable, result.Outcome);
        Assert.Contains("stats", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await _haproxy.Writer.ReadAsync());
        Assert.Equal(_live.WorkerPid, (await _haproxy.Master.ShowProcAsync()).CurrentWorker!.Pid);
    }

    [Fact]
    public async Task Apply_TemplateHaProxyRefuses_InvalidWithItsAlertAndTheFileUntouched()
    {
        var broken = Appliers.For(_haproxy, Appliers.BuiltInWith("global.scriban", text => text + "    no-such-directive\n"));
        var before = await _haproxy.Writer.ReadAsync();

        var result = await broken.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha), Lb(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.Invalid, result.Outcome);
        Assert.False(result.IsLive);
        Assert.False(result.ReloadAttempted);
        Assert.StartsWith("[ALERT]", result.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-directive", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await _haproxy.Writer.ReadAsync());
        var directory = Path.GetDirectoryName(_haproxy.Writer.ConfigPath)!;
        Assert.Empty(Directory.GetFiles(directory, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(directory, "lbaas-check-*"));
        Assert.Equal(_live.WorkerPid, (await _haproxy.Master.ShowProcAsync()).CurrentWorker!.Pid);
        Assert.Equal("alpha", await Http.GetAsync(_alphaPort));
        Assert.True(await Tcp.RefusesAsync(_betaPort));
    }

    [Fact]
    public async Task Apply_ConfigThatPassesTheCheckButFailsToLoad_ReloadFailedAndTheLastGoodFileIsBack()
    {
        using var busy = Tcp.Occupy();
        // A frontend the model does not know about, so the port probe cannot see it: only the reload fails.
        var sneaky = Appliers.For(_haproxy, Appliers.BuiltInWith(
            TemplateSet.ConfigTemplate,
            text => text + $"\nfrontend extra\n    bind 127.0.0.1:{Tcp.PortOf(busy)}\n    http-request return status 200\n"));
        var before = await _haproxy.Writer.ReadAsync();

        var result = await sneaky.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha), Lb(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.ReloadFailed, result.Outcome);
        Assert.True(result.ReloadAttempted);
        Assert.False(result.Reloaded);
        Assert.Contains("could not load", result.Message, StringComparison.Ordinal);
        Assert.Contains("last good", result.Message, StringComparison.Ordinal);
        Assert.Equal(_live.WorkerPid, result.WorkerPid);
        Assert.Equal(before, await _haproxy.Writer.ReadAsync());
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));

        // The file again matches what runs, so the good templates converge on the next apply.
        var recovered = await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha), Lb(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.Reloaded, recovered.Outcome);
        Assert.Equal("beta", await Http.GetWhenReadyAsync(_betaPort));
    }

    [Fact]
    public async Task Apply_LoadBalancerWithAValueThatMustNotReachTheFile_ExcludedAndTheRestApplies()
    {
        var hostile = Lb(2, _betaPort, _beta) with { BindAddress = "127.0.0.1\n    bind 0.0.0.0" };

        var result = await _applier.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha), hostile, Lb(3, FreePort.Next(), _gamma)));

        Assert.Equal(ApplyOutcome.PartiallyApplied, result.Outcome);
        var excluded = Assert.Single(result.Excluded);
        Assert.Equal(2, excluded.Id);
        Assert.Contains("bind_address", excluded.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0", await _haproxy.Writer.ReadAsync(), StringComparison.Ordinal);
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_MasterSocketPointsNowhere_HaProxyUnavailableAndNothingWritten()
    {
        var lost = Appliers.For(_haproxy, configure: o =>
        {
            o.MasterSocketPath = _haproxy.MasterSocketPath + ".nowhere";
            o.MasterConnectRetries = 2;
        });
        var before = await _haproxy.Writer.ReadAsync();

        var result = await lost.ApplyAsync(_haproxy.Model(Lb(1, _alphaPort, _alpha), Lb(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.HaProxyUnavailable, result.Outcome);
        Assert.Contains(".nowhere", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await _haproxy.Writer.ReadAsync());
        Assert.False(await lost.IsRunningAsync());
        Assert.Equal("alpha", await Http.GetAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_ModelWithAnotherServerStateFile_InvalidBeforeTouchingAnything()
    {
        var model = _haproxy.Model(Lb(1, _alphaPort, _alpha));
        model = model with { Global = model.Global with { ServerStateFile = _haproxy.ServerStatePath + ".other" } };

        var result = await _applier.ApplyAsync(model);

        Assert.Equal(ApplyOutcome.Invalid, result.Outcome);
        Assert.Contains("server_state_file", result.Message, StringComparison.Ordinal);
        Assert.Null(result.TextHash);
    }

    private static LoadBalancerModel Lb(long id, int port, params TestBackend[] backends) => ConfigApplierTests.Lb(id, port, backends);
}
