using Lbaas.HaProxy.Sockets;

namespace Lbaas.HaProxy.Tests.Sockets;

/// <summary>Reply splitting against output captured from HAProxy 2.6.12 with ';'-joined commands.</summary>
public sealed class RuntimeReplyFramingTests
{
    [Fact]
    public void Split_MixedReplies_OnePerCommandInOrder()
    {
        string[] batch =
        [
            "set weight lb_1/b_1 300",
            "set weight lb_1 3",
            "set weight lb_1/b_1 5",
            "get weight lb_1/b_1",
            "set server lb_1/b_2 state drain",
            "show version",
        ];
        const string output =
            "Absolute weight can only be between 0 and 256 inclusive.\n\n" +
            "Require 'backend/server'.\n\n" +
            "\n" +
            "5 (initial 1)\n\n" +
            "\n" +
            "2.6.12-1+deb12u4\n\n";

        var replies = RuntimeReplyFraming.Split(batch, output);

        Assert.Equal(
            ["Absolute weight can only be between 0 and 256 inclusive.", "Require 'backend/server'.", "", "5 (initial 1)", "", "2.6.12-1+deb12u4"],
            replies);
    }

    [Fact]
    public void Split_DelServerLast_TakesItsUnterminatedReply()
    {
        // 2.6 answers "del server" without the empty line every other reply ends with.
        var replies = RuntimeReplyFraming.Split(["set server lb_1/b_3 state maint", "del server lb_1/b_3"], "\nServer deleted.\n");

        Assert.Equal(["", "Server deleted."], replies);
    }

    [Fact]
    public void Split_MissingTerminator_Throws()
    {
        Assert.Throws<FormatException>(() => RuntimeReplyFraming.Split(["set weight a/b 1", "set weight a/c 1"], "No such server.\n"));
    }

    [Fact]
    public void Batch_AddAndDelServer_EndTheirConnection()
    {
        string[] commands =
        [
            "set weight lb_1/b_1 2",
            "add server lb_1/b_3 127.0.0.1:9003",
            "enable server lb_1/b_3",
            "set server lb_1/b_4 state maint",
            "del server lb_1/b_4",
            "set weight lb_1/b_1 3",
            "get weight lb_1/b_1",
        ];

        var batches = RuntimeReplyFraming.Batch(commands, 8192);

        Assert.Equal(
            [
                ["set weight lb_1/b_1 2", "add server lb_1/b_3 127.0.0.1:9003"],
                ["enable server lb_1/b_3", "set server lb_1/b_4 state maint", "del server lb_1/b_4"],
                ["set weight lb_1/b_1 3", "get weight lb_1/b_1"],
            ],
            batches);
    }

    [Fact]
    public void Batch_ShowCommand_EndsItsConnection()
    {
        var batches = RuntimeReplyFraming.Batch(["show servers state", "set weight lb_1/b_1 1"], 8192);

        Assert.Equal(2, batches.Count);
    }

    [Fact]
    public void Batch_LongLine_IsSplitUnderTheLimit()
    {
        var commands = Enumerable.Range(0, 1_000).Select(i => $"set weight lb_1/b_{i} 1").ToList();

        var batches = RuntimeReplyFraming.Batch(commands, 8192);

        Assert.True(batches.Count > 1);
        Assert.All(batches, b => Assert.True(string.Join(';', b).Length <= 8192));
        Assert.Equal(commands, batches.SelectMany(b => b));
    }
}
