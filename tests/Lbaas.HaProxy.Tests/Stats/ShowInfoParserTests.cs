using Lbaas.HaProxy.Stats;

namespace Lbaas.HaProxy.Tests.Stats;

public sealed class ShowInfoParserTests
{
    // The head of HAProxy 2.6.12's "show info".
    private const string Info = """
        Name: HAProxy
        Version: 2.6.12-1+deb12u4
        Release_date: 2026/10/17
        Nbthread: 2
        Nbproc: 1
        Process_num: 1
        Pid: 32262
        Uptime: 0d 0h00m04s
        Uptime_sec: 4
        Maxconn: 9978
        CurrConns: 3
        CumConns: 28
        CumReq: 17

        """;

    [Fact]
    public void Parse_RealOutput_ReadsPidVersionAndCounts()
    {
        var info = ShowInfoParser.Parse(Info);

        Assert.Equal(32262, info.Pid);
        Assert.Equal("2.6.12-1+deb12u4", info.Version);
        Assert.Equal(4, info.UptimeSeconds);
        Assert.Equal(9978, info.MaxConnections);
        Assert.Equal(3, info.CurrentConnections);
        Assert.Equal(28, info.CumulativeConnections);
        Assert.Equal(17, info.CumulativeRequests);
    }

    [Fact]
    public void Parse_NotShowInfo_Throws()
    {
        Assert.Throws<FormatException>(() => ShowInfoParser.Parse("Unknown command.\n"));
    }
}
