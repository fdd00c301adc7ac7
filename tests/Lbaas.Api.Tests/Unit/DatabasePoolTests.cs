using Lbaas.Api.Data;
using Npgsql;

namespace Lbaas.Api.Tests.Unit;

public sealed class DatabasePoolTests
{
    [Fact]
    public void Bounded_NothingInConnectionString_TakesOptions()
    {
        var options = new DatabaseOptions { MaxPoolSize = 25, ConnectionWait = TimeSpan.FromSeconds(20) };
        var bounded = new NpgsqlConnectionStringBuilder(DatabaseSetup.Bounded("Host=127.0.0.1;Database=lbaas", options));
        Assert.Equal(25, bounded.MaxPoolSize);
        Assert.Equal(20, bounded.Timeout);
        Assert.Equal("lbaas", bounded.Database);
    }

    [Fact]
    public void Bounded_Defaults_LeaveRoomUnderPostgresDefaultMaxConnections()
    {
        var bounded = new NpgsqlConnectionStringBuilder(DatabaseSetup.Bounded("Host=127.0.0.1", new DatabaseOptions()));
        // PostgreSQL's default max_connections is 100 with 3 reserved for superusers: three replicas fit.
        Assert.True(bounded.MaxPoolSize * 3 <= 97, $"pool of {bounded.MaxPoolSize}");
        Assert.Equal(15, bounded.Timeout);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Maximum Pool Size=7;Timeout=4")]
    [InlineData("Host=127.0.0.1;MaxPoolSize=7;timeout=4")]
    [InlineData("Host=127.0.0.1;maximum pool size=7;TIMEOUT=4")]
    public void Bounded_ExplicitValuesInConnectionString_Win(string connectionString)
    {
        var bounded = new NpgsqlConnectionStringBuilder(DatabaseSetup.Bounded(connectionString, new DatabaseOptions { MaxPoolSize = 50 }));
        Assert.Equal(7, bounded.MaxPoolSize);
        Assert.Equal(4, bounded.Timeout);
    }
}
