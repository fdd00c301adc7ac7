using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Tests.Support;
using static Lbaas.Testing.Models;

namespace Lbaas.HaProxy.Tests.Sockets;

[Collection(HaProxyCollection.Name)]
public sealed class MasterSocketClientTests : IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private TestBackend _backend = null!;
    private TestHaProxy _haproxy = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("alpha", keepAlive: false);
        _haproxy = await TestHaProxy.StartAsync(h => h.Model(LbOver(1, _port, _backend)));
    }

    public async Task DisposeAsync()
    {
        await _haproxy.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task ShowProc_RunningInstance_ListsTheMasterAndOneWorker()
    {
        var processes = await _haproxy.Master.ShowProcAsync();

        Assert.Equal("master", processes.Master.Type);
        Assert.Equal(0, processes.Master.Reloads);
        Assert.Equal(0, processes.FailedReloads);
        Assert.StartsWith("2.6", processes.Master.Version, StringComparison.Ordinal);
        var worker = Assert.Single(processes.Workers);
        Assert.Equal("worker", worker.Type);
        Assert.NotEqual(processes.Master.Pid, worker.Pid);
    }

    [Fact]
    public async Task ReloadAndConfirm_NewLoadBalancer_NewWorkerTakesOverAndServesIt()
    {
        await using var beta = await TestBackend.StartAsync("beta", keepAlive: false);
        var secondPort = FreePort.Next();
        var before = await _haproxy.Master.ShowProcAsync();

        var result = await _haproxy.ApplyAsync(_haproxy.Model(LbOver(1, _port, _backend), LbOver(2, secondPort, beta)));

        Assert.True(result.Succeeded, result.Failure);
        Assert.NotNull(result.NewWorkerPid);
        Assert.NotEqual(before.CurrentWorker!.Pid, result.NewWorkerPid);
        Assert.Equal(1, result.After!.Master.Reloads);
        Assert.Equal("beta", await Http.GetWhenReadyAsync(secondPort));
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_port));
    }

    [Fact]
    public async Task ReloadAndConfirm_FileHaProxyCannotLoad_FailsAndTheOldWorkerKeepsServing()
    {
        await _haproxy.Writer.MarkGoodAsync();
        var before = await _haproxy.Master.ShowProcAsync();
        await _haproxy.Writer.WriteAsync("global\n    no-such-directive\n");

        var failed = await _haproxy.Master.ReloadAndConfirmAsync();

        Assert.False(failed.Succeeded);
        Assert.Contains("could not load", failed.Failure, StringComparison.Ordinal);
        Assert.True(failed.After!.FailedReloads >= 1);
        Assert.Equal(before.CurrentWorker!.Pid, failed.After.CurrentWorker!.Pid);
        Assert.Equal("alpha", await Http.GetAsync(_port));

        Assert.True(await _haproxy.Writer.RestoreLastGoodAsync());
        var recovered = await _haproxy.Master.ReloadAndConfirmAsync();

        Assert.True(recovered.Succeeded, recovered.Failure);
        Assert.Equal(0, recovered.After!.FailedReloads);
        Assert.Equal("alpha", await Http.GetWhenReadyAsync(_port));
    }

    [Fact]
    public async Task Reload_WithKeepAliveTrafficRunning_NoRequestFails()
    {
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var served = 0;
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Http.GetAsync(_port);
                    served++;
                }
                catch (HttpRequestException)
                {
                    failures++;
                }
            }
        });

        for (var i = 0; i < 3; i++)
        {
            await _haproxy.ApplyAsync(_haproxy.Model(LbOver(1, _port, _backend)));
            // Not a wait for anything: the traffic runs on between two reloads, which is what is tested.
            await Task.Delay(200);
        }
        await stop.CancelAsync();
        await traffic;

        Assert.True(served > 10, $"only {served} requests served");
        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task ReloadAsync_ReturnsAtOnce_AndShowProcRidesOutTheReExec()
    {
        var before = await _haproxy.Master.ShowProcAsync();

        await _haproxy.Master.ReloadAsync();
        var after = await _haproxy.Master.ShowProcAsync();

        Assert.Equal(before.Master.Pid, after.Master.Pid);
        Assert.Equal(before.Master.Reloads + 1, after.Master.Reloads);
    }

    [Fact]
    public async Task SendAsync_NoSocket_GivesUpAfterItsRetries()
    {
        var client = new MasterSocketClient(new MasterSocketOptions
        {
            SocketPath = _haproxy.MasterSocketPath + ".missing",
            ConnectRetries = 3,
            FirstRetryDelay = TimeSpan.FromMilliseconds(5),
        });

        await Assert.ThrowsAsync<HaProxyUnavailableException>(() => client.ShowProcAsync());
    }
}
