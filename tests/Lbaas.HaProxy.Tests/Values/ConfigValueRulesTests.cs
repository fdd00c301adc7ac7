using Lbaas.HaProxy.Values;

namespace Lbaas.HaProxy.Tests.Values;

public sealed class ConfigValueRulesTests
{
    public static TheoryData<string> ValidResourceNames => ["web-lb", "a", "0", "a.b_c-d", new string('a', 63)];

    public static TheoryData<string> InvalidResourceNames =>
        ["", "Web", "-a", ".a", "_a", "a b", new string('a', 64), "a\r", "a\n", "é", "a#b", "a%b", "a\"b"];

    public static TheoryData<string> ValidHosts =>
        ["127.0.0.1", "::1", "example.com", "backend-1.svc.local", "a", "example.com.", "EXAMPLE.com", "a1.b2", Label(63) + ".com"];

    public static TheoryData<string> InvalidHosts =>
    [
        "", "bad host", "-a.com", "a-.com", "a..b", ".a", ".", "1.2.3", "1.2.3.4.5", "host#1", "h\"x", "h'x", "h\\x",
        "%[src]", "ünïcode.com", "a_b.com", "fe80::1%eth0", "example.com\n", "[::1]", "[::1]:80", "010.0.0.1",
        Label(64) + ".com",
        string.Join('.', Enumerable.Repeat(Label(63), 4)), // 255 characters
        string.Join('.', Enumerable.Repeat(Label(63), 3)) + "." + Label(62), // 254 characters
    ];

    public static TheoryData<string> ValidHttpPaths =>
        ["/", "/healthz", "/a/b?x=1&y=2", "/v1/status.json", "/a~b_c-d.e!$&()*+,;=:@[]^`{|}", "/" + new string('a', 1023)];

    public static TheoryData<string> InvalidHttpPaths =>
    [
        "", "healthz", "/a b", "/a\"b", "/a'b", "/a#b", "/a%20b", "/%[src]", "/a\\b", "/a\nb", "/a\tb", "/a\rb", "/a<b",
        "/a>b", "/é", "/" + new string('a', 1024), "/healthz\n",
    ];

    [Theory]
    [MemberData(nameof(ValidResourceNames))]
    public void IsResourceName_ValidName_ReturnsTrue(string value) => Assert.True(ConfigValueRules.IsResourceName(value));

    [Theory]
    [MemberData(nameof(InvalidResourceNames))]
    public void IsResourceName_InvalidName_ReturnsFalse(string value) => Assert.False(ConfigValueRules.IsResourceName(value));

    [Fact]
    public void IsResourceName_Null_ReturnsFalse() => Assert.False(ConfigValueRules.IsResourceName(null));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("2001:db8::1")]
    [InlineData("255.255.255.255")]
    [InlineData("::ffff:192.0.2.1")]
    public void IsIpLiteral_Address_ReturnsTrue(string value) => Assert.True(ConfigValueRules.IsIpLiteral(value));

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("fe80::1%eth0")]
    [InlineData("localhost")]
    [InlineData("1.2.3.4 ")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    [InlineData("010.0.0.1")]
    [InlineData("127.0.0.1\n")]
    [InlineData(" 1.2.3.4")]
    [InlineData("::1 ")]
    [InlineData("1.2.3.4\n")]
    public void IsIpLiteral_NotALiteral_ReturnsFalse(string value) => Assert.False(ConfigValueRules.IsIpLiteral(value));

    [Fact]
    public void IsIpLiteral_Null_ReturnsFalse() => Assert.False(ConfigValueRules.IsIpLiteral(null));

    [Theory]
    [MemberData(nameof(ValidHosts))]
    public void IsHost_ValidHost_ReturnsTrue(string value) => Assert.True(ConfigValueRules.IsHost(value));

    [Theory]
    [MemberData(nameof(InvalidHosts))]
    public void IsHost_InvalidHost_ReturnsFalse(string value) => Assert.False(ConfigValueRules.IsHost(value));

    [Fact]
    public void IsHost_253Characters_ReturnsTrue()
    {
        var host = string.Join('.', Enumerable.Repeat(Label(63), 3)) + "." + Label(61);

        Assert.Equal(253, host.Length);
        Assert.True(ConfigValueRules.IsHost(host));
    }

    [Fact]
    public void IsHost_Null_ReturnsFalse() => Assert.False(ConfigValueRules.IsHost(null));

    [Theory]
    [MemberData(nameof(ValidHttpPaths))]
    public void IsHttpPath_SafePath_ReturnsTrue(string value) => Assert.True(ConfigValueRules.IsHttpPath(value));

    [Theory]
    [MemberData(nameof(InvalidHttpPaths))]
    public void IsHttpPath_UnsafePath_ReturnsFalse(string value) => Assert.False(ConfigValueRules.IsHttpPath(value));

    [Fact]
    public void IsHttpPath_Null_ReturnsFalse() => Assert.False(ConfigValueRules.IsHttpPath(null));

    [Theory]
    [InlineData("200")]
    [InlineData("100")]
    [InlineData("599")]
    [InlineData("200-399")]
    [InlineData("200-200")]
    [InlineData("200,204")]
    [InlineData("200-299,304")]
    public void IsStatusList_ValidList_ReturnsTrue(string value) => Assert.True(ConfigValueRules.IsStatusList(value));

    [Theory]
    [InlineData("")]
    [InlineData("99")]
    [InlineData("099")]
    [InlineData("600")]
    [InlineData("20")]
    [InlineData("2000")]
    [InlineData("abc")]
    [InlineData("399-200")]
    [InlineData("200-")]
    [InlineData("-200")]
    [InlineData(",200")]
    [InlineData("200,")]
    [InlineData("200,,204")]
    [InlineData("200-300-400")]
    [InlineData("200, 204")]
    [InlineData("200\n")]
    public void IsStatusList_InvalidList_ReturnsFalse(string value) => Assert.False(ConfigValueRules.IsStatusList(value));

    [Fact]
    public void IsStatusList_Null_ReturnsFalse() => Assert.False(ConfigValueRules.IsStatusList(null));

    [Fact]
    public void IsStatusList_LongerThan128_ReturnsFalse()
    {
        var list = string.Join(',', Enumerable.Repeat("200", 33)); // 131 characters, every part valid

        Assert.False(ConfigValueRules.IsStatusList(list));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0s", 0)]
    [InlineData("1500ms", 1_500)]
    public void TryParseDuration_ValidDuration_ReturnsMilliseconds(string value, long expectedMs)
    {
        Assert.True(ConfigValueRules.TryParseDuration(value, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("5 s")]
    [InlineData(" 5s")]
    [InlineData("-5s")]
    [InlineData("+5s")]
    [InlineData("5d")]
    [InlineData("5us")]
    [InlineData("5S")]
    [InlineData("1.5s")]
    [InlineData("1,5s")]
    [InlineData("1234567890ms")]
    [InlineData("5s\n")]
    [InlineData("2147484s")]
    public void TryParseDuration_InvalidDuration_ReturnsFalse(string value)
    {
        Assert.False(ConfigValueRules.TryParseDuration(value, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
    }

    [Theory]
    [InlineData("999999999h")]
    [InlineData("256204779h")]
    public void TryParseDuration_BeyondTimerRange_ReturnsFalseWithoutThrowing(string value)
    {
        var result = true;
        Assert.Null(Record.Exception(() => result = ConfigValueRules.TryParseDuration(value, out _)));
        Assert.False(result);
    }

    [Fact]
    public void TryParseDuration_Null_ReturnsFalse() => Assert.False(ConfigValueRules.TryParseDuration(null, out _));

    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(5_000, "5s")]
    [InlineData(120_000, "2m")]
    [InlineData(3_600_000, "1h")]
    [InlineData(1_500, "1500ms")]
    [InlineData(90_000, "90s")]
    [InlineData(5_400_000, "90m")]
    [InlineData(86_400_000, "24h")]
    [InlineData(0, "0s")]
    public void FormatDuration_Milliseconds_ReturnsShortestExactSpelling(long milliseconds, string expected) =>
        Assert.Equal(expected, ConfigValueRules.FormatDuration(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("500ms")]
    [InlineData("1500ms")]
    [InlineData("5s")]
    [InlineData("90s")]
    [InlineData("2m")]
    [InlineData("90m")]
    [InlineData("1h")]
    [InlineData("24h")]
    [InlineData("0s")]
    public void FormatDuration_ParsedCanonicalDuration_RoundTrips(string value)
    {
        Assert.True(ConfigValueRules.TryParseDuration(value, out var duration));

        Assert.Equal(value, ConfigValueRules.FormatDuration(duration));
    }

    private static string Label(int length) => new('a', length);
}
