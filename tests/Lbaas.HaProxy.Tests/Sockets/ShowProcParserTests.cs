using Lbaas.HaProxy.Sockets;

namespace Lbaas.HaProxy.Tests.Sockets;

/// <summary>Parses <c>show proc</c> exactly as HAProxy 2.6.12 printed it on this machine.</summary>
public sealed class ShowProcParserTests
{
    private const string AfterTwoReloads =
        "#<PID>          <type>          <reloads>       <uptime>        <version>      \n" +
        "7838            master          2 [failed: 0]   0d00h01m41s     2.6.12-1+deb12u4\n" +
        "# workers\n" +
        "11779           worker          0               0d00h00m01s     2.6.12-1+deb12u4\n" +
        "# old workers\n" +
        "7839            worker          2               0d00h01m41s     2.6.12-1+deb12u4\n" +
        "# programs\n" +
        "\n";

    private const string AfterFailedReload =
        "#<PID>          <type>          <reloads>       <uptime>        <version>      \n" +
        "7838            master          3 [failed: 1]   0d00h01m50s     2.6.12-1+deb12u4\n" +
        "# workers\n" +
        "11779           worker          1               0d00h00m10s     2.6.12-1+deb12u4\n" +
        "# programs\n" +
        "\n";

    [Fact]
    public void Parse_AfterReloads_SeparatesCurrentAndOldWorkers()
    {
        var list = ShowProcParser.Parse(AfterTwoReloads);

        Assert.Equal(7838, list.Master.Pid);
        Assert.Equal("master", list.Master.Type);
        Assert.Equal(2, list.Master.Reloads);
        Assert.Equal(0, list.FailedReloads);
        Assert.Equal(TimeSpan.FromSeconds(101), list.Master.Uptime);
        Assert.Equal("2.6.12-1+deb12u4", list.Master.Version);
        Assert.Equal(11779, Assert.Single(list.Workers).Pid);
        Assert.Equal(11779, list.CurrentWorker?.Pid);
        var old = Assert.Single(list.OldWorkers);
        Assert.Equal(7839, old.Pid);
        Assert.Equal(2, old.Reloads);
        Assert.Empty(list.Programs);
    }

    [Fact]
    public void Parse_AfterFailedReload_ReportsTheFailureAndTheSurvivingWorker()
    {
        var list = ShowProcParser.Parse(AfterFailedReload);

        Assert.Equal(1, list.FailedReloads);
        Assert.Equal(3, list.Master.Reloads);
        var worker = Assert.Single(list.Workers);
        Assert.Equal(11779, worker.Pid);
        Assert.Equal(1, worker.Reloads);
        Assert.Empty(list.OldWorkers);
    }

    [Fact]
    public void Parse_WithoutFailedCounter_LeavesItNull()
    {
        var list = ShowProcParser.Parse("#<PID> <type> <reloads> <uptime> <version>\n1 master 0 0d00h00m01s 2.4.0\n# workers\n2 worker 0 0d00h00m01s 2.4.0\n");

        Assert.Null(list.FailedReloads);
        Assert.Equal(2, list.CurrentWorker?.Pid);
    }

    [Fact]
    public void Parse_Programs_AreListedApart()
    {
        var list = ShowProcParser.Parse(AfterFailedReload.Replace("# programs\n", "# programs\n4242            dataplaneapi    0               0d01h00m00s     -\n", StringComparison.Ordinal));

        var program = Assert.Single(list.Programs);
        Assert.Equal("dataplaneapi", program.Type);
        Assert.Equal(TimeSpan.FromHours(1), program.Uptime);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Unknown command, but maybe one of the following ones is a better match:\n")]
    [InlineData("# workers\n11779 worker 0 0d00h00m01s 2.6\n")]
    public void Parse_NotAShowProcAnswer_Throws(string text)
    {
        Assert.Throws<FormatException>(() => ShowProcParser.Parse(text));
    }

    [Theory]
    [InlineData("0d00h00m00s", 0)]
    [InlineData("1d02h03m04s", 93_784)]
    [InlineData("12d00h00m00s", 1_036_800)]
    public void ParseUptime_HaProxyFormat_Converts(string value, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ShowProcParser.ParseUptime(value));
    }
}
