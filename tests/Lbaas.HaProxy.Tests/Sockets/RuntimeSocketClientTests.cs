using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Stats;
using Lbaas.HaProxy.Tests.Support;
using static Lbaas.Testing.Models;

namespace Lbaas.HaProxy.Tests.Sockets;

[Collection(HaProxyCollection.Name)]
public sealed class RuntimeSocketClientTests : IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private TestBackend _one = null!;
    private TestBackend _two = null!;
    private TestHaProxy _haproxy = null!;
    private LoadBalancerModel _lb = null!;

    public async Task InitializeAsync()
    {
        _one = await TestBackend.StartAsync("one", keepAlive: false);
        _two = await TestBackend.StartAsync("two", keepAlive: false);
        _lb = LbOver(1, _port, _one, _two);
        _haproxy = await TestHaProxy.StartAsync(h => h.Model(_lb));
        // Servers start "UP" with check status INI, before any check ran: wait for a real _one.
        await WaitForStatus("b_1", "UP L7OK");
        await WaitForStatus("b_2", "UP L7OK");
    }

    public async Task DisposeAsync()
    {
        await _haproxy.DisposeAsync();
        await _one.DisposeAsync();
        await _two.DisposeAsync();
    }

    [Fact]
    public async Task Execute_ManyCommandsOnOneConnection_EveryReplyCheckedAndApplied()
    {
        var replies = await _haproxy.Runtime.ExecuteCheckedAsync(
        [
            RuntimeCommands.SetWeight(1, 1, 5),
            "get weight lb_1/b_1",
            RuntimeCommands.SetState(1, 2, ServerAdminState.Draining),
            "get weight lb_1/b_2",
        ]);

        Assert.Equal(["", "5 (initial 1)", "", "1 (initial 1)"], replies.Select(r => r.Text));
        var stats = await _haproxy.Runtime.ShowStatAsync();
        Assert.Equal(5, Server(stats, "b_1").Weight);
        Assert.Equal("DRAIN", Server(stats, "b_2").Status);

        await _haproxy.Runtime.ExecuteCheckedAsync([RuntimeCommands.SetState(1, 2, ServerAdminState.Disabled)]);
        Assert.Equal("MAINT", Server(await _haproxy.Runtime.ShowStatAsync(), "b_2").Status);

        await _haproxy.Runtime.ExecuteCheckedAsync([RuntimeCommands.SetState(1, 2, ServerAdminState.Enabled)]);
        await WaitForStatus("b_2", "UP");
    }

    [Fact]
    public async Task Execute_ErrorAmongOthers_IsDetectedAndTheOthersStillRun()
    {
        string[] commands = ["set weight lb_1/b_1 2", "set weight lb_1/b_99 2", "get weight lb_1/b_1", "set weight lb_9/b_1 2", "bogus command"];

        var replies = await _haproxy.Runtime.ExecuteAsync(commands);

        Assert.Equal(commands, replies.Select(r => r.Command));
        Assert.Equal([false, true, false, true, true], replies.Select(r => r.IsError));
        Assert.Equal("No such server.", replies[1].Text);
        Assert.Equal("2 (initial 1)", replies[2].Text);
        Assert.Equal("No such backend.", replies[3].Text);
        Assert.StartsWith("Unknown command", replies[4].Text, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<RuntimeCommandException>(() => _haproxy.Runtime.ExecuteCheckedAsync(commands));
        Assert.Equal(3, error.Failures.Count);
        Assert.Contains("'set weight lb_1/b_99 2': No such server.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddServer_ThenEnable_IsCheckedUpAndReceivesTraffic()
    {
        await using var three = await TestBackend.StartAsync("three", keepAlive: false);
        var server = Models.Server(3, three);

        var replies = await _haproxy.Runtime.ExecuteCheckedAsync([.. RuntimeCommands.AddServer(_lb, server), "get weight lb_1/b_3"]);

        Assert.Equal(["New server registered.", "", "", "1 (initial 1)"], replies.Select(r => r.Text));
        await WaitForStatus("b_3", "UP L7OK");
        await Eventually.Until(() => Http.GetAsync(_port), name => name == "three", "a request served by the added server");

        var duplicate = await _haproxy.Runtime.ExecuteAsync(RuntimeCommands.AddServer(_lb, server)[0]);
        Assert.True(duplicate.IsError);
        Assert.Equal("Already exists a server with the same name in backend.", duplicate.Text);
    }

    [Fact]
    public async Task DeleteServer_AfterMaint_IsGoneAndLaterRepliesStayInPlace()
    {
        // "del server" answers without the empty line that ends every other reply.
        var replies = await _haproxy.Runtime.ExecuteCheckedAsync([.. RuntimeCommands.DeleteServer(1, 2), "get weight lb_1/b_1", "set weight lb_1/b_1 3"]);

        Assert.Equal(["", "", "Server deleted.", "1 (initial 1)", ""], replies.Select(r => r.Text));
        var stats = await _haproxy.Runtime.ShowStatAsync();
        Assert.DoesNotContain(stats, r => r.ServiceName == "b_2");
        Assert.Equal(3, Server(stats, "b_1").Weight);

        var again = await _haproxy.Runtime.ExecuteAsync(["del server lb_1/b_2", "get weight lb_1/b_1"]);
        Assert.Equal(("No such server.", true), (again[0].Text, again[0].IsError));
        Assert.Equal(("3 (initial 1)", false), (again[1].Text, again[1].IsError));
    }

    [Fact]
    public async Task DeleteServer_NotInMaint_IsRefused()
    {
        var reply = await _haproxy.Runtime.ExecuteAsync("del server lb_1/b_1");

        Assert.True(reply.IsError);
        Assert.Equal("Only servers in maintenance mode can be deleted.", reply.Text);
    }

    [Fact]
    public async Task ShowStat_AfterTraffic_CountsEveryRequest()
    {
        const int requests = 20;
        var names = new List<string>();
        for (var i = 0; i < requests; i++)
        {
            names.Add(await Http.GetAsync(_port));
        }

        var stats = await _haproxy.Runtime.ShowStatAsync();

        var frontend = Assert.Single(stats, r => r is { ProxyName: "lb_1", Type: StatType.Frontend });
        var backend = Assert.Single(stats, r => r is { ProxyName: "lb_1", Type: StatType.Backend });
        Assert.Equal("FRONTEND", frontend.ServiceName);
        Assert.Equal(requests, frontend.RequestsTotal);
        Assert.Equal(requests, backend.Http2xx);
        Assert.Equal("roundrobin", backend.Algorithm);
        Assert.Equal(requests, Server(stats, "b_1").Http2xx + Server(stats, "b_2").Http2xx);
        Assert.Equal([requests / 2, requests / 2], new[] { names.Count(n => n == "one"), names.Count(n => n == "two") });
        Assert.All(new[] { Server(stats, "b_1"), Server(stats, "b_2") }, s =>
        {
            Assert.Equal("UP", s.Status);
            Assert.Equal("L7OK", s.CheckStatus);
            Assert.Equal(200, s.CheckCode);
            Assert.True(s.BytesOut > 0);
            Assert.NotNull(s.ResponseTimeMs);
        });
        Assert.Equal(requests, _one.Requests + _two.Requests);
    }

    [Fact]
    public async Task HttpMode_AddsXForwardedFor()
    {
        await Http.GetAsync(_port);

        var head = Assert.Single(_one.Heads.Concat(_two.Heads));
        Assert.Contains("x-forwarded-for: 127.0.0.1\r\n", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SaveServersState_ThenReload_KeepsRuntimeWeightAndDrain()
    {
        await _haproxy.Runtime.ExecuteCheckedAsync([RuntimeCommands.SetWeight(1, 1, 7), RuntimeCommands.SetState(1, 2, ServerAdminState.Draining)]);

        await _haproxy.Runtime.SaveServersStateAsync(_haproxy.ServerStatePath);
        await _haproxy.ApplyAsync(_haproxy.Model(_lb));

        var state = await File.ReadAllTextAsync(_haproxy.ServerStatePath);
        Assert.StartsWith("1\n# be_id be_name srv_id srv_name", state, StringComparison.Ordinal);
        var stats = await _haproxy.Runtime.ShowStatAsync();
        Assert.Equal(7, Server(stats, "b_1").Weight);
        Assert.Equal("DRAIN", Server(stats, "b_2").Status);
    }

    [Fact]
    public async Task ShowServersState_IsHaProxysOwnFormat()
    {
        var state = await _haproxy.Runtime.ShowServersStateAsync();

        var lines = state.Split('\n');
        Assert.Equal("1", lines[0]);
        Assert.StartsWith("# be_id be_name srv_id srv_name srv_addr", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l.Contains(" lb_1 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StatsFrontend_ServesStatsPageAndPrometheusMetrics()
    {
        var statsPort = FreePort.Next();
        await _haproxy.ApplyAsync(_haproxy.Model(_lb) with { Stats = new StatsSettings { Port = statsPort } });

        Assert.Contains("haproxy_process_", await Http.GetWhenReadyAsync(statsPort, "/metrics"), StringComparison.Ordinal);
        Assert.Contains("lb_1", await Http.GetWhenReadyAsync(statsPort, "/stats;csv"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_UnsafeCommand_IsRefusedBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _haproxy.Runtime.ExecuteAsync("set weight lb_1/b_1 1;shutdown sessions server lb_1/b_2"));
        await Assert.ThrowsAsync<ArgumentException>(() => _haproxy.Runtime.ExecuteAsync("set weight lb_1/b_1 1\nshow info"));
    }

    private static StatRow Server(IReadOnlyList<StatRow> stats, string name) =>
        Assert.Single(stats, r => r.ProxyName == "lb_1" && r.ServiceName == name);

    private Task<string?> WaitForStatus(string server, string status) =>
        Eventually.Until(
            async () => (await _haproxy.Runtime.ShowStatAsync()).FirstOrDefault(r => r.ProxyName == "lb_1" && r.ServiceName == server) is { } row
                ? $"{row.Status} {row.CheckStatus}"
                : null,
            s => s?.StartsWith(status, StringComparison.Ordinal) == true,
            $"{server} to be {status}");
}
