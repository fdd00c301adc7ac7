using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Tests.Support;
using static Lbaas.Testing.Models;

namespace Lbaas.HaProxy.Tests.Applying;

/// <summary>Every refusal leaves HAProxy serving what it served before, and says why.</summary>
[Collection(HaProxyCollection.Name)]
public sealed class ConfigApplierFailureTests(ApplierFixture fixture) : ApplierTest
{
    private readonly int _alphaPort = FreePort.Next();
    private readonly int _betaPort = FreePort.Next();
    private readonly TestBackend _alpha = fixture.Alpha;
    private readonly TestBackend _beta = fixture.Beta;
    private readonly TestBackend _gamma = fixture.Gamma;
    private ApplyResult _live = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _live = await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha)));
        Assert.Equal(ApplyOutcome.Reloaded, _live.Outcome);
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_PortHeldByAnotherProcess_ExcludesThatLoadBalancerAndTheOthersServe()
    {
        var busy = Tcp.Occupy();
        var busyPort = Tcp.PortOf(busy);
        try
        {
            var model = HaProxy.Model(LbOver(1, _alphaPort, _alpha), LbOver(2, _betaPort, _beta), LbOver(3, busyPort, _gamma));

            var result = await Applier.ApplyAsync(model);

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
            Assert.True(await Applier.IsRunningAsync());

            // The next tick asks again: same answer, and no reload for it.
            var again = await Applier.ApplyAsync(model);

            Assert.Equal(ApplyOutcome.PartiallyApplied, again.Outcome);
            Assert.False(again.Reloaded);
            Assert.Equal(result.WorkerPid, again.WorkerPid);
            Assert.Equal(3, Assert.Single(again.Excluded).Id);

            // Once the port is free, the same model goes _live whole.
            busy.Stop();
            var freed = await Applier.ApplyAsync(model);

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
        var before = await HaProxy.Writer.ReadAsync();
        var model = HaProxy.Model(LbOver(1, _alphaPort, _alpha)) with { Stats = new StatsSettings { Port = Tcp.PortOf(busy) } };

        var result = await Applier.ApplyAsync(model);

        Assert.Equal(ApplyOutcome.PortsUnavailable, result.Outcome);
        Assert.Contains("stats", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await HaProxy.Writer.ReadAsync());
        Assert.Equal(_live.WorkerPid, (await HaProxy.Master.ShowProcAsync()).CurrentWorker!.Pid);
    }

    [Fact]
    public async Task Apply_TemplateHaProxyRefuses_InvalidWithItsAlertAndTheFileUntouched()
    {
        var broken = Appliers.For(HaProxy, Appliers.BuiltInWith("global.scriban", text => text + "    no-such-directive\n"));
        var before = await HaProxy.Writer.ReadAsync();

        var result = await broken.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha), LbOver(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.Invalid, result.Outcome);
        Assert.False(result.IsLive);
        Assert.False(result.ReloadAttempted);
        Assert.StartsWith("[ALERT]", result.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-directive", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await HaProxy.Writer.ReadAsync());
        var directory = Path.GetDirectoryName(HaProxy.Writer.ConfigPath)!;
        Assert.Empty(Directory.GetFiles(directory, "*.tmp", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetDirectories(directory, "lbaas-check-*"));
        Assert.Equal(_live.WorkerPid, (await HaProxy.Master.ShowProcAsync()).CurrentWorker!.Pid);
        Assert.Equal("alpha", await Http.GetAsync(_alphaPort));
        Assert.True(await Tcp.RefusesAsync(_betaPort));
    }

    [Fact]
    public async Task Apply_ConfigThatPassesTheCheckButFailsToLoad_ReloadFailedAndTheLastGoodFileIsBack()
    {
        using var busy = Tcp.Occupy();
        // A frontend the model does not know about, so the port probe cannot see it: only the reload fails.
        var sneaky = Appliers.For(HaProxy, Appliers.BuiltInWith(
            TemplateSet.ConfigTemplate,
            text => text + $"\nfrontend extra\n    bind 127.0.0.1:{Tcp.PortOf(busy)}\n    http-request return status 200\n"));
        var before = await HaProxy.Writer.ReadAsync();

        var result = await sneaky.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha), LbOver(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.ReloadFailed, result.Outcome);
        Assert.True(result.ReloadAttempted);
        Assert.False(result.Reloaded);
        Assert.Contains("could not load", result.Message, StringComparison.Ordinal);
        Assert.Contains("last good", result.Message, StringComparison.Ordinal);
        Assert.Equal(_live.WorkerPid, result.WorkerPid);
        Assert.Equal(before, await HaProxy.Writer.ReadAsync());
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));

        // The file again matches what runs, so the good templates converge on the next apply.
        var recovered = await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha), LbOver(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.Reloaded, recovered.Outcome);
        Assert.Equal("beta", await Http.GetWhenReadyAsync(_betaPort));
    }

    [Fact]
    public async Task Apply_LoadBalancerWithAValueThatMustNotReachTheFile_ExcludedAndTheRestApplies()
    {
        var hostile = LbOver(2, _betaPort, _beta) with { BindAddress = "127.0.0.1\n    bind 0.0.0.0" };

        var result = await Applier.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha), hostile, LbOver(3, FreePort.Next(), _gamma)));

        Assert.Equal(ApplyOutcome.PartiallyApplied, result.Outcome);
        var excluded = Assert.Single(result.Excluded);
        Assert.Equal(2, excluded.Id);
        Assert.Contains("bind_address", excluded.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0", await HaProxy.Writer.ReadAsync(), StringComparison.Ordinal);
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_MasterSocketPointsNowhere_HaProxyUnavailableAndNothingWritten()
    {
        var lost = Appliers.For(HaProxy, configure: o =>
        {
            o.MasterSocketPath = HaProxy.MasterSocketPath + ".nowhere";
            o.MasterConnectRetries = 2;
        });
        var before = await HaProxy.Writer.ReadAsync();

        var result = await lost.ApplyAsync(HaProxy.Model(LbOver(1, _alphaPort, _alpha), LbOver(2, _betaPort, _beta)));

        Assert.Equal(ApplyOutcome.HaProxyUnavailable, result.Outcome);
        Assert.Contains(".nowhere", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await HaProxy.Writer.ReadAsync());
        Assert.False(await lost.IsRunningAsync());
        Assert.Equal("alpha", await Http.GetAsync(_alphaPort));
    }

    [Fact]
    public async Task Apply_ModelWithAnotherServerStateFile_InvalidBeforeTouchingAnything()
    {
        var model = HaProxy.Model(LbOver(1, _alphaPort, _alpha));
        model = model with { Global = model.Global with { ServerStateFile = HaProxy.ServerStatePath + ".other" } };

        var result = await Applier.ApplyAsync(model);

        Assert.Equal(ApplyOutcome.Invalid, result.Outcome);
        Assert.Contains("server_state_file", result.Message, StringComparison.Ordinal);
        Assert.Null(result.TextHash);
    }
}
