using Lbaas.Api.Reconciliation;

namespace Lbaas.Api.Tests.Unit;

public sealed class DescriptorLimitTests
{
    [Fact]
    public void MaxConnections_LeavesRoomForListenersServersAndReserve()
    {
        // Budgeted per thousand: 20000 - 1000 reserve - 1000 for 302 listeners - 2*1000 for 600 servers = 16000 left, two per connection.
        Assert.Equal(8000, DescriptorLimit.MaxConnections(20_000, 302, 600));
    }

    [Fact]
    public void MaxConnections_BiggerConfiguration_GetsFewerConnections() =>
        Assert.True(DescriptorLimit.MaxConnections(20_000, 1002, 10_000) < DescriptorLimit.MaxConnections(20_000, 2, 0));

    [Fact]
    public void MaxConnections_OneMoreServer_SameValueSoNoReloadIsNeeded() =>
        Assert.Equal(DescriptorLimit.MaxConnections(20_000, 12, 100), DescriptorLimit.MaxConnections(20_000, 12, 101));

    [Fact]
    public void MaxConnections_TinyLimit_StaysAtFloor() => Assert.Equal(256, DescriptorLimit.MaxConnections(1024, 10, 100));

    [Theory]
    [InlineData("Max open files            1024                 524288               files     ", 524288)]
    [InlineData("Max open files            unlimited            unlimited            files     ", 201000)]
    public void ReadHardLimit_ProcLimitsLine_ReadsHardColumn(string line, long expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["Limit                     Soft Limit           Hard Limit           Units     ", line]);
            Assert.Equal(expected, DescriptorLimit.ReadHardLimit(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ReadHardLimit_MissingFile_FallsBackTo4096() => Assert.Equal(4096, DescriptorLimit.ReadHardLimit("/nonexistent/limits"));
}
