using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;

namespace Lbaas.HaProxy.Tests.Rendering;

/// <summary>
/// Values that should never get past the API's rules must still not get into the file: the
/// renderer throws rather than write a line HAProxy could read differently.
/// </summary>
public sealed class RendererGuardTests
{
    private readonly ConfigRenderer _renderer = new();

    /// <summary>Each would end a token, start a comment, open a quote or a sample fetch, or hide in a terminal.</summary>
    private static readonly string[] HostileValues =
    [
        "", "a b", "a\tb", "a\nb", "a\r\nb", "a#b", "a'b", "a\"b", "%[src]", "a\\b", "é", "a\u0000b", "a\u001bb", "a\u2028b",
        new string('a', 5_000),
    ];

    public static TheoryData<string> Hostile => new(HostileValues);

    /// <summary>The same, appended to a valid value; the empty string would leave it valid.</summary>
    public static TheoryData<string> HostileSuffix => new(HostileValues.Where(v => v.Length > 0));

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Render_HostileServerHost_Throws(string value) =>
        AssertRefused(WithServer(s => s with { Host = value }), ".host");

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Render_HostileBindAddress_Throws(string value) =>
        AssertRefused(WithLb(lb => lb with { BindAddress = value }), ".bind_address");

    [Theory]
    [MemberData(nameof(HostileSuffix))]
    public void Render_HostileHealthPath_Throws(string value) =>
        AssertRefused(WithCheck(c => c with { Path = "/" + value }), ".path");

    [Theory]
    [MemberData(nameof(HostileSuffix))]
    public void Render_HostileExpectedStatus_Throws(string value) =>
        AssertRefused(WithCheck(c => c with { ExpectedStatus = "200" + value }), ".expected_status");

    [Theory]
    [MemberData(nameof(HostileSuffix))]
    public void Render_HostileMethod_Throws(string value) =>
        AssertRefused(WithCheck(c => c with { Method = "GET" + value }), ".method");

    [Theory]
    [MemberData(nameof(HostileSuffix))]
    public void Render_HostileGlobalPaths_Throw(string value)
    {
        AssertRefused(Base() with { Global = Samples.Global with { AdminSocketPath = "/run/" + value } }, "admin_socket_path");
        AssertRefused(Base() with { Global = Samples.Global with { ServerStateFile = "/var/" + value } }, "server_state_file");
    }

    [Theory]
    [MemberData(nameof(HostileSuffix))]
    public void Render_HostileLogSettings_Throw(string value)
    {
        AssertRefused(Base() with { Global = Samples.Global with { Log = new LogSettings { Target = "stdout" + value } } }, "log.target");
        AssertRefused(Base() with { Global = Samples.Global with { Log = new LogSettings { Facility = "local0" + value } } }, "log.facility");
        AssertRefused(Base() with { Global = Samples.Global with { Log = new LogSettings { Format = "raw" + value } } }, "log.format");
        AssertRefused(Base() with { Global = Samples.Global with { Log = new LogSettings { Level = "info" + value } } }, "log.level");
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Render_HostileStatsBind_Throws(string value) =>
        AssertRefused(Base() with { Stats = new StatsSettings { BindAddress = value } }, "stats.bind_address");

    [Theory]
    [InlineData("relative/path")]
    [InlineData("/run/a;b")]
    [InlineData("/run/$HOME")]
    public void Render_UnusualGlobalPath_Throws(string value) =>
        AssertRefused(Base() with { Global = Samples.Global with { AdminSocketPath = value } }, "admin_socket_path");

    [Theory]
    [InlineData(-1)]
    [InlineData(257)]
    public void Render_WeightOutOfRange_Throws(int weight) => AssertRefused(WithServer(s => s with { Weight = weight }), ".weight");

    [Theory]
    [InlineData(0)]
    [InlineData(65_536)]
    public void Render_PortOutOfRange_Throws(int port)
    {
        AssertRefused(WithServer(s => s with { Port = port }), ".port");
        AssertRefused(WithLb(lb => lb with { Port = port }), ".port");
    }

    [Fact]
    public void Render_NonPositiveNumbers_Throw()
    {
        AssertRefused(WithLb(lb => lb with { Timeouts = new LoadBalancerTimeouts { ClientMs = 0 } }), ".client_ms");
        AssertRefused(WithLb(lb => lb with { SlowStartMs = -5 }), ".slow_start_ms");
        AssertRefused(WithLb(lb => lb with { MaxConnections = 0 }), ".max_connections");
        AssertRefused(WithCheck(c => c with { Rise = 0 }), ".rise");
        AssertRefused(WithCheck(c => c with { IntervalMs = 0 }), ".interval_ms");
        AssertRefused(Base() with { Global = Samples.Global with { HardStopAfterMs = 0 } }, "hard_stop_after_ms");
        AssertRefused(WithLb(lb => lb with { Id = 0 }), ".id");
    }

    [Fact]
    public void Render_UndefinedEnumValue_Throws()
    {
        AssertRefused(WithLb(lb => lb with { Algorithm = (BalanceAlgorithm)99 }), ".algorithm");
        AssertRefused(WithServer(s => s with { AdminState = (ServerAdminState)99 }), ".admin_state");
    }

    [Fact]
    public void Render_DuplicateIds_Throw()
    {
        AssertRefused(Base() with { LoadBalancers = [Samples.Lb(1, 10001), Samples.Lb(1, 10002)] }, "load_balancers");
        AssertRefused(WithLb(lb => lb with { Servers = [.. lb.Servers, lb.Servers[0]] }), ".servers");
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("0.0.0.0", "127.0.0.1")]
    [InlineData("127.0.0.1", "0.0.0.0")]
    [InlineData("::", "127.0.0.1")]
    [InlineData("::1", "0:0:0:0:0:0:0:1")]
    public void Render_TwoFrontendsOnOnePort_Throws(string first, string second) =>
        AssertRefused(
            Base() with { LoadBalancers = [Samples.Lb(1, 10001) with { BindAddress = first }, Samples.Lb(2, 10001) with { BindAddress = second }] },
            ".port");

    [Fact]
    public void Render_LoadBalancerOnTheStatsPort_Throws() =>
        AssertRefused(Base() with { LoadBalancers = [Samples.Lb(1, 8404)] }, ".port");

    [Fact]
    public void Render_SamePortOnDifferentAddresses_IsAllowed()
    {
        var model = Base() with { LoadBalancers = [Samples.Lb(1, 10001), Samples.Lb(2, 10001) with { BindAddress = "127.0.0.2" }] };

        Assert.Contains("bind 127.0.0.2:10001", _renderer.Render(model), StringComparison.Ordinal);
    }

    private static ConfigModel Base() => new() { Global = Samples.Global, LoadBalancers = [Samples.Lb(1, 10001)] };

    private static ConfigModel WithLb(Func<LoadBalancerModel, LoadBalancerModel> change) =>
        Base() with { LoadBalancers = [change(Samples.Lb(1, 10001))] };

    private static ConfigModel WithServer(Func<ServerModel, ServerModel> change) =>
        WithLb(lb => lb with { Servers = [change(lb.Servers[0])] });

    private static ConfigModel WithCheck(Func<HealthCheckModel, HealthCheckModel> change) =>
        WithLb(lb => lb with { HealthCheck = change(new HealthCheckModel { Kind = HealthCheckKind.Http }) });

    /// <summary>The whole file is refused, and so is the preview when the value belongs to the one load balancer.</summary>
    private void AssertRefused(ConfigModel model, string field)
    {
        var error = Assert.Throws<ConfigValueException>(() => _renderer.Render(model));
        Assert.Contains(field, error.Field, StringComparison.Ordinal);
        if (model.LoadBalancers.Count == 1 && field.StartsWith('.') && field != ".port")
        {
            Assert.Throws<ConfigValueException>(() => _renderer.RenderLoadBalancer(model, model.LoadBalancers[0].Id));
        }
    }
}
