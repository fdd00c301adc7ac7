using Lbaas.HaProxy.Sockets;

namespace Lbaas.HaProxy.Tests.Sockets;

/// <summary>Replies as HAProxy 2.6.12 wrote them.</summary>
public sealed class RuntimeReplyClassifierTests
{
    [Theory]
    [InlineData("set weight lb_1/b_1 3", "")]
    [InlineData("set server lb_1/b_1 state drain", "")]
    [InlineData("enable server lb_1/b_3", "")]
    [InlineData("enable health lb_1/b_3", "")]
    [InlineData("add server lb_1/b_3 127.0.0.1:9003", "New server registered.")]
    [InlineData("del server lb_1/b_3", "Server deleted.")]
    [InlineData("set server lb_1/b_1 addr 127.0.0.1 port 19005", "no need to change the addr, port changed from '19001' to '19005' by 'stats socket command'")]
    [InlineData("get weight lb_1/b_1", "5 (initial 1)")]
    [InlineData("show servers state", "1\n# be_id be_name srv_id")]
    public void IsError_Success_IsNotAnError(string command, string reply)
    {
        Assert.False(RuntimeReplyClassifier.IsError(command, reply));
    }

    [Theory]
    [InlineData("set weight lb_1/zz 2", "No such server.")]
    [InlineData("enable health nob/zz", "No such backend.")]
    [InlineData("set weight lb_1 3", "Require 'backend/server'.")]
    [InlineData("set weight lb_1/b_1 300", "Absolute weight can only be between 0 and 256 inclusive.")]
    [InlineData("set server lb_1/b_1 state bogus", "'set server <srv> state' expects 'ready', 'drain' and 'maint'.")]
    [InlineData("add server lb_1/b_9", "'server' expects <name> and <addr>[:<port>] as arguments.")]
    [InlineData("add server lb_1/b_9 127.0.0.1:1 bogus", "unknown keyword 'bogus'.")]
    [InlineData("add server lb_1/b_3 127.0.0.1:9003", "Already exists a server with the same name in backend.")]
    [InlineData("del server lb_1/b_1", "Only servers in maintenance mode can be deleted.")]
    [InlineData("show servers state nob", "Can't find backend.")]
    [InlineData("show bogus", "Unknown command, but maybe one of the following ones is a better match:\n  help : list")]
    [InlineData("foo", "Unknown command, but maybe one of the following ones is a better match:")]
    [InlineData("set weight lb_1/b_1 3", "Something HAProxy never said before.")]
    public void IsError_Refusal_IsAnError(string command, string reply)
    {
        Assert.True(RuntimeReplyClassifier.IsError(command, reply));
    }
}
