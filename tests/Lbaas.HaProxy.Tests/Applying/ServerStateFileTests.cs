using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;

namespace Lbaas.HaProxy.Tests.Applying;

public sealed class ServerStateFileTests
{
    // As HAProxy 2.6.12 prints it. b_1: DOWN (op 0), runtime weight 7 over an initial 5.
    // b_2: drained on the CLI (admin 8). b_3: a DNS name, resolved to 127.0.0.5.
    private const string Header =
        "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change " +
        "srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn " +
        "srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n";

    private const string B1 = "3 lb_1 1 b_1 127.0.0.1 0 0 7 5 2 8 2 0 6 0 0 0 - 9001 - 0 0 - - 0";
    private const string B2 = "3 lb_1 2 b_2 127.0.0.1 2 8 5 5 1 6 3 4 6 0 0 0 - 9002 - 0 0 - - 0";
    private const string B3 = "3 lb_1 3 b_3 127.0.0.5 2 0 5 5 1 6 3 4 6 0 0 0 backend.example 9003 - 0 0 - - 0";
    private const string Dump = Header + B1 + "\n" + B2 + "\n" + B3 + "\n";

    private static readonly ServerModel One = Models.Server(1, 9001, weight: 5);
    private static readonly ServerModel Two = Models.Server(2, 9002, weight: 5, ServerAdminState.Draining);
    private static readonly ServerModel Three = Models.Server(3, 9003, weight: 5, host: "backend.example");

    [Fact]
    public void Reconcile_NothingChangedByThisApply_KeepsEveryLineAsItIs()
    {
        var model = Model(One, Two, Three);

        var state = ServerStateFile.Reconcile(Dump, model, model);

        // Runtime-tuned weight, CLI drain and health DOWN all carry over.
        Assert.Equal(Dump.TrimEnd('\n'), state);
    }

    [Fact]
    public void Reconcile_WeightChangedByThisApply_TheDesiredWeightWins()
    {
        var state = Lines(ServerStateFile.Reconcile(Dump, Model(One with { Weight = 3 }, Two, Three), Model(One, Two, Three)));

        // Health (op state 0, check status) stays; admin 0, uweight = iweight = the file's weight.
        Assert.Equal("3 lb_1 1 b_1 127.0.0.1 0 0 3 3 2 8 2 0 6 0 0 0 - 9001 - 0 0 - - 0", state[0]);
        Assert.Equal(B2, state[1]);
    }

    [Fact]
    public void Reconcile_DrainedOnTheCliThenEnabledByAReload_ComesBackEnabledAtItsWeight()
    {
        var state = Lines(ServerStateFile.Reconcile(Dump, Model(One, Two with { AdminState = ServerAdminState.Enabled }, Three), Model(One, Two, Three)));

        Assert.Equal("3 lb_1 2 b_2 127.0.0.1 2 0 5 5 1 6 3 4 6 0 0 0 - 9002 - 0 0 - - 0", state[1]);
    }

    [Fact]
    public void Reconcile_RunningModelUnknown_EveryAdminStateAndWeightFromTheFile()
    {
        var disabled = One with { AdminState = ServerAdminState.Disabled };

        var state = Lines(ServerStateFile.Reconcile(Dump, Model(disabled, Two, Three), running: null));

        // Disabled: FMAINT|CMAINT as "disabled" in the file sets it; draining: FDRAIN on weight 0.
        Assert.Equal("3 lb_1 1 b_1 127.0.0.1 0 5 5 5 2 8 2 0 6 0 0 0 - 9001 - 0 0 - - 0", state[0]);
        Assert.Equal("3 lb_1 2 b_2 127.0.0.1 2 8 0 0 1 6 3 4 6 0 0 0 - 9002 - 0 0 - - 0", state[1]);
        Assert.Equal(B3, state[2]);
    }

    public static TheoryData<string, ServerModel> Moves => new()
    {
        { "port", One with { Port = 9999 } },
        { "address", One with { Host = "127.0.0.2" } },
        { "to a name", One with { Host = "backend.example" } },
    };

    [Theory]
    [MemberData(nameof(Moves))]
    public void Reconcile_ServerMoved_ItsLineIsDroppedSoTheFileWins(string what, ServerModel moved)
    {
        var model = Model(moved, Two, Three);

        var state = Lines(ServerStateFile.Reconcile(Dump, model, model));

        Assert.DoesNotContain(state, l => l.Contains(" b_1 ", StringComparison.Ordinal));
        Assert.True(state.Count == 2, what);
    }

    [Fact]
    public void Reconcile_DnsNameChanged_ItsLineIsDroppedElseTheOldAddressWouldWin()
    {
        var model = Model(One, Two, Three with { Host = "other.example" });

        var state = Lines(ServerStateFile.Reconcile(Dump, model, model));

        Assert.Equal([B1, B2], state);
    }

    [Fact]
    public void Reconcile_SameIpSpelledAnotherWay_KeepsTheLine()
    {
        var dump = Header + "3 lb_1 1 b_1 ::1 2 0 5 5 1 6 3 4 6 0 0 0 - 9001 - 0 0 - - 0\n";
        var model = Model(One with { Host = "0:0:0:0:0:0:0:1" });

        Assert.Single(Lines(ServerStateFile.Reconcile(dump, model, model)));
    }

    [Fact]
    public void Reconcile_ServersAndLoadBalancersGone_TheirLinesAreDropped()
    {
        var dump = Dump + "4 lb_2 1 b_9 127.0.0.1 2 0 1 1 1 6 3 4 6 0 0 0 - 9009 - 0 0 - - 0\n";
        var model = Model(One);

        var state = Lines(ServerStateFile.Reconcile(dump, model, model));

        Assert.Equal([B1], state);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Unknown command.\n")]
    [InlineData("2\n# be_id be_name\n")]
    [InlineData("1\n# be_id be_name srv_name\n3 lb_1 b_1\n")]
    public void Reconcile_NotAVersion1Dump_Throws(string dump)
    {
        Assert.Throws<FormatException>(() => ServerStateFile.Reconcile(dump, Model(One), null));
    }

    private static List<string> Lines(string state) => state.Split('\n').Skip(2).ToList();

    private static ConfigModel Model(params ServerModel[] servers) => Models.Model(Models.Lb(1, 8001, servers));
}
