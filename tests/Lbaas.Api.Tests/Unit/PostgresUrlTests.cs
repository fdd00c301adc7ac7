using Lbaas.Api.Hosting;
using Npgsql;

namespace Lbaas.Api.Tests.Unit;

public sealed class PostgresUrlTests
{
    [Theory]
    [InlineData("Host=localhost;Port=5432;Database=lbaas;Username=lbaas;Password=secret")]
    [InlineData("Host=/var/run/postgresql;Database=lbaas")]
    [InlineData("")]
    public void ToConnectionString_KeyValueString_ReturnsItUnchanged(string value) =>
        Assert.Equal(value, PostgresUrl.ToConnectionString(value));

    [Fact]
    public void ToConnectionString_FullUrl_SetsEveryPart()
    {
        var builder = Parse("postgres://user:p%40ss@db.example:6543/lbaas?sslmode=require");

        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("user", builder.Username);
        Assert.Equal("p@ss", builder.Password);
        Assert.Equal("lbaas", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Fact]
    public void ToConnectionString_NoPort_Uses5432()
    {
        var builder = Parse("postgres://user:pw@db.example/lbaas");

        Assert.Equal(5432, builder.Port);
        Assert.Equal("db.example", builder.Host);
    }

    [Fact]
    public void ToConnectionString_PostgresqlScheme_IsAccepted()
    {
        var builder = Parse("postgresql://user:pw@db.example:6000/other");

        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6000, builder.Port);
        Assert.Equal("user", builder.Username);
        Assert.Equal("pw", builder.Password);
        Assert.Equal("other", builder.Database);
    }

    [Fact]
    public void ToConnectionString_UpperCaseScheme_IsAccepted() =>
        Assert.Equal("db.example", Parse("POSTGRES://u:p@db.example/x").Host);

    [Fact]
    public void ToConnectionString_EscapedColonInPassword_SplitsUserInfoBeforeDecoding()
    {
        var builder = Parse("postgres://us%3Aer:a%3Ab%2Fc@db.example/lbaas");

        Assert.Equal("us:er", builder.Username);
        Assert.Equal("a:b/c", builder.Password);
    }

    [Fact]
    public void ToConnectionString_UserWithoutPassword_LeavesPasswordUnset()
    {
        var builder = Parse("postgres://user@db.example/lbaas");

        Assert.Equal("user", builder.Username);
        Assert.Null(builder.Password);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("require", SslMode.Require)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void ToConnectionString_SslMode_MapsToNpgsqlSslMode(string sslmode, SslMode expected) =>
        Assert.Equal(expected, Parse($"postgres://u:p@db.example/lbaas?sslmode={sslmode}").SslMode);

    private static NpgsqlConnectionStringBuilder Parse(string url) => new(PostgresUrl.ToConnectionString(url));
}
