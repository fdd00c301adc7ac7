using System.Text.Json;
using Lbaas.Api.Backends;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;

namespace Lbaas.Api.Tests.Unit;

public sealed class LoadBalancerValidatorTests
{
    private const string DefaultBind = "127.0.0.1";
    private static readonly JsonSerializerOptions Json = JsonSetup.Create();

    [Fact]
    public void Validate_NameOnly_AppliesEveryDefault()
    {
        var errors = new ValidationErrors();

        var lb = LoadBalancerValidator.Validate(new LoadBalancerRequest(Name: "web"), DefaultBind, errors);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(lb);
        Assert.Equal("web", lb.Name);
        Assert.Equal(Protocol.Http, lb.Protocol);
        Assert.Equal(Algorithm.RoundRobin, lb.Algorithm);
        Assert.Equal("127.0.0.1", lb.BindAddress);
        Assert.Null(lb.FrontendPort);
        Assert.Null(lb.MaxConnections);
        Assert.Null(lb.Backends);
        Assert.Empty(lb.Labels);
        Assert.True(lb.HealthCheck.Enabled);
        Assert.Equal(HealthCheckType.Http, lb.HealthCheck.Type);
        Assert.Equal("GET", lb.HealthCheck.Method);
        Assert.Equal("/", lb.HealthCheck.Path);
        Assert.Equal("200-399", lb.HealthCheck.ExpectedStatus);
        Assert.Equal(2_000, lb.HealthCheck.IntervalMs);
        Assert.Equal(2_000, lb.HealthCheck.TimeoutMs);
        Assert.Equal(2, lb.HealthCheck.Rise);
        Assert.Equal(3, lb.HealthCheck.Fall);
        Assert.Equal(5_000, lb.Timeouts.ConnectMs);
        Assert.Equal(50_000, lb.Timeouts.ClientMs);
        Assert.Equal(50_000, lb.Timeouts.ServerMs);
    }

    [Theory]
    [InlineData(Protocol.Http, HealthCheckType.Http)]
    [InlineData(Protocol.Tcp, HealthCheckType.Tcp)]
    public void Validate_NoHealthCheckType_FollowsProtocol(Protocol protocol, HealthCheckType expected)
    {
        var lb = Valid(new LoadBalancerRequest(Name: "web", Protocol: protocol));

        Assert.Equal(protocol, lb.Protocol);
        Assert.Equal(expected, lb.HealthCheck.Type);
    }

    [Fact]
    public void Validate_ExplicitHealthCheckType_OverridesProtocol() =>
        Assert.Equal(HealthCheckType.Tcp, Valid(new LoadBalancerRequest(Name: "web", HealthCheck: new(Type: HealthCheckType.Tcp))).HealthCheck.Type);

    [Fact]
    public void Validate_NoBindAddress_UsesGivenDefault()
    {
        var lb = LoadBalancerValidator.Validate(new LoadBalancerRequest(Name: "web"), "::", new ValidationErrors());

        Assert.Equal("::", lb!.BindAddress);
    }

    [Fact]
    public void Validate_InvalidDefaultBindAddress_ReportsBindAddress()
    {
        var errors = new ValidationErrors();

        Assert.Null(LoadBalancerValidator.Validate(new LoadBalancerRequest(Name: "web"), "localhost", errors));
        Assert.Equal(["bind_address"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Validate_LongIpv6BindAddress_IsCanonicalized() =>
        Assert.Equal("2001:db8::1", Valid(new LoadBalancerRequest(Name: "web", BindAddress: "2001:DB8:0:0:0:0:0:1")).BindAddress);

    [Fact]
    public void Validate_Durations_AreConvertedToMilliseconds()
    {
        var lb = Valid(new LoadBalancerRequest(
            Name: "web",
            HealthCheck: new(Interval: "500ms", Timeout: "1s"),
            Timeouts: new(Connect: "1m", Client: "1h", Server: "24h")));

        Assert.Equal(500, lb.HealthCheck.IntervalMs);
        Assert.Equal(1_000, lb.HealthCheck.TimeoutMs);
        Assert.Equal(60_000, lb.Timeouts.ConnectMs);
        Assert.Equal(3_600_000, lb.Timeouts.ClientMs);
        Assert.Equal(86_400_000, lb.Timeouts.ServerMs);
    }

    [Fact]
    public void Validate_FullyValidRequest_KeepsEveryValue()
    {
        var errors = new ValidationErrors();
        var request = new LoadBalancerRequest(
            Name: "web-lb.prod_1",
            Description: "Front door, état stable",
            Protocol: Protocol.Tcp,
            FrontendPort: 10080,
            BindAddress: "0.0.0.0",
            Algorithm: Algorithm.LeastConnections,
            HealthCheck: new(Enabled: false, Type: HealthCheckType.Http, Method: "HEAD", Path: "/healthz?full=1", ExpectedStatus: "200,204", Interval: "5s", Timeout: "3s", Rise: 1, Fall: 100),
            Timeouts: new(Connect: "2s", Client: "30s", Server: "2m"),
            MaxConnections: 1_000_000,
            Labels: new() { ["env"] = "prod", ["team/owner"] = "net" },
            Backends: [new(Host: "Backend-1.svc.local", Port: 8080), new(Host: "10.0.0.2", Port: 8080, Weight: 0, Name: "b2", Backup: true, State: BackendState.Draining)]);

        var lb = LoadBalancerValidator.Validate(request, DefaultBind, errors);

        Assert.True(errors.IsEmpty, string.Join("; ", errors.ToDictionary().Keys));
        Assert.NotNull(lb);
        Assert.Equal(request.Name, lb.Name);
        Assert.Equal(request.Description, lb.Description);
        Assert.Equal(Protocol.Tcp, lb.Protocol);
        Assert.Equal(10080, lb.FrontendPort);
        Assert.Equal("0.0.0.0", lb.BindAddress);
        Assert.Equal(Algorithm.LeastConnections, lb.Algorithm);
        Assert.False(lb.HealthCheck.Enabled);
        Assert.Equal(HealthCheckType.Http, lb.HealthCheck.Type);
        Assert.Equal("HEAD", lb.HealthCheck.Method);
        Assert.Equal("/healthz?full=1", lb.HealthCheck.Path);
        Assert.Equal("200,204", lb.HealthCheck.ExpectedStatus);
        Assert.Equal(5_000, lb.HealthCheck.IntervalMs);
        Assert.Equal(3_000, lb.HealthCheck.TimeoutMs);
        Assert.Equal(1, lb.HealthCheck.Rise);
        Assert.Equal(100, lb.HealthCheck.Fall);
        Assert.Equal(2_000, lb.Timeouts.ConnectMs);
        Assert.Equal(30_000, lb.Timeouts.ClientMs);
        Assert.Equal(120_000, lb.Timeouts.ServerMs);
        Assert.Equal(1_000_000, lb.MaxConnections);
        Assert.Equal(request.Labels, lb.Labels);
        Assert.Equal(
            [new ValidBackend(null, "backend-1.svc.local", 8080, 1, false, BackendState.Enabled), new ValidBackend("b2", "10.0.0.2", 8080, 0, true, BackendState.Draining)],
            lb.Backends!);
    }

    [Theory]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name":"Web"}""", "name")]
    [InlineData("""{"name":"web\n"}""", "name")]
    [InlineData("""{"name":"web","bind_address":"[::1]:8080"}""", "bind_address")]
    [InlineData("""{"name":"web","bind_address":"010.0.0.1"}""", "bind_address")]
    [InlineData("""{"name":"web","health_check":{"interval":"999999999h"}}""", "health_check.interval")]
    [InlineData("""{"name":"web","backends":[{"host":"example.com\n","port":80}]}""", "backends[0].host")]
    [InlineData("""{"name":"-web"}""", "name")]
    [InlineData("""{"name":"a b"}""", "name")]
    [InlineData("""{"name":"web","description":"two\nlines"}""", "description")]
    [InlineData("""{"name":"web","frontend_port":0}""", "frontend_port")]
    [InlineData("""{"name":"web","frontend_port":65536}""", "frontend_port")]
    [InlineData("""{"name":"web","bind_address":"localhost"}""", "bind_address")]
    [InlineData("""{"name":"web","bind_address":"1.2.3"}""", "bind_address")]
    [InlineData("""{"name":"web","bind_address":"fe80::1%eth0"}""", "bind_address")]
    [InlineData("""{"name":"web","max_connections":0}""", "max_connections")]
    [InlineData("""{"name":"web","max_connections":1000001}""", "max_connections")]
    [InlineData("""{"name":"web","health_check":{"method":"POST"}}""", "health_check.method")]
    [InlineData("""{"name":"web","health_check":{"method":"GET /x"}}""", "health_check.method")]
    [InlineData("""{"name":"web","health_check":{"path":"healthz"}}""", "health_check.path")]
    [InlineData("""{"name":"web","health_check":{"path":"/a b"}}""", "health_check.path")]
    [InlineData("""{"name":"web","health_check":{"path":"/%[src]"}}""", "health_check.path")]
    [InlineData("""{"name":"web","health_check":{"expected_status":"600"}}""", "health_check.expected_status")]
    [InlineData("""{"name":"web","health_check":{"expected_status":"399-200"}}""", "health_check.expected_status")]
    [InlineData("""{"name":"web","health_check":{"interval":"0s"}}""", "health_check.interval")]
    [InlineData("""{"name":"web","health_check":{"interval":"25h"}}""", "health_check.interval")]
    [InlineData("""{"name":"web","health_check":{"interval":"5"}}""", "health_check.interval")]
    [InlineData("""{"name":"web","health_check":{"timeout":"-1s"}}""", "health_check.timeout")]
    [InlineData("""{"name":"web","health_check":{"rise":0}}""", "health_check.rise")]
    [InlineData("""{"name":"web","health_check":{"rise":101}}""", "health_check.rise")]
    [InlineData("""{"name":"web","health_check":{"fall":0}}""", "health_check.fall")]
    [InlineData("""{"name":"web","health_check":{"fall":101}}""", "health_check.fall")]
    [InlineData("""{"name":"web","timeouts":{"connect":"5d"}}""", "timeouts.connect")]
    [InlineData("""{"name":"web","timeouts":{"client":"1.5s"}}""", "timeouts.client")]
    [InlineData("""{"name":"web","timeouts":{"server":"0ms"}}""", "timeouts.server")]
    [InlineData("""{"name":"web","labels":{"-bad":"x"}}""", "labels.-bad")]
    [InlineData("""{"name":"web","labels":{"a b":"x"}}""", "labels.a b")]
    [InlineData("""{"name":"web","labels":{"env":"a\u0000b"}}""", "labels.env")]
    [InlineData("""{"name":"web","backends":[{"host":"bad host","port":80}]}""", "backends[0].host")]
    [InlineData("""{"name":"web","backends":[{"port":80}]}""", "backends[0].host")]
    [InlineData("""{"name":"web","backends":[{"host":"a","port":80},{"host":"b","port":0}]}""", "backends[1].port")]
    [InlineData("""{"name":"web","backends":[{"host":"a","port":80},{"host":"b"}]}""", "backends[1].port")]
    [InlineData("""{"name":"web","backends":[{"host":"a","port":80,"weight":257}]}""", "backends[0].weight")]
    [InlineData("""{"name":"web","backends":[{"host":"a","port":80,"weight":-1}]}""", "backends[0].weight")]
    [InlineData("""{"name":"web","backends":[{"host":"a","port":80,"name":"B"}]}""", "backends[0].name")]
    [InlineData("""{"name":"web","backends":[{"host":"a","port":80},null]}""", "backends[1]")]
    public void Validate_InvalidField_ReportsOnlyThatFieldAndReturnsNull(string json, string field)
    {
        var request = JsonSerializer.Deserialize<LoadBalancerRequest>(json, Json)!;
        var errors = new ValidationErrors();

        var result = LoadBalancerValidator.Validate(request, DefaultBind, errors);

        Assert.Null(result);
        Assert.Equal([field], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Validate_DescriptionTooLong_ReportsDescription() =>
        AssertOnlyError(new LoadBalancerRequest(Name: "web", Description: new string('x', 1025)), "description");

    [Fact]
    public void Validate_DescriptionAtLimit_IsAccepted() =>
        Valid(new LoadBalancerRequest(Name: "web", Description: new string('x', 1024)));

    [Fact]
    public void Validate_NameOf64Characters_ReportsName() =>
        AssertOnlyError(new LoadBalancerRequest(Name: new string('a', 64)), "name");

    [Fact]
    public void Validate_LabelValueTooLong_ReportsThatLabel() =>
        AssertOnlyError(new LoadBalancerRequest(Name: "web", Labels: new() { ["env"] = new string('x', 256) }), "labels.env");

    [Fact]
    public void Validate_TooManyLabels_ReportsLabels()
    {
        var labels = Enumerable.Range(0, 65).ToDictionary(i => $"k{i}", _ => "v");

        AssertOnlyError(new LoadBalancerRequest(Name: "web", Labels: labels), "labels");
    }

    [Fact]
    public void Validate_DuplicateBackendEndpoint_ReportsSecondOccurrence() =>
        AssertOnlyError(
            new LoadBalancerRequest(Name: "web", Backends: [new(Host: "a.example", Port: 80), new(Host: "A.example", Port: 80)]),
            "backends[1].port");

    [Fact]
    public void Validate_SeveralInvalidFields_ReportsEach()
    {
        var errors = new ValidationErrors();

        var result = LoadBalancerValidator.Validate(
            new LoadBalancerRequest(FrontendPort: 0, HealthCheck: new(Rise: 0), Backends: [new(Host: "a", Port: 70000)]),
            DefaultBind,
            errors);

        Assert.Null(result);
        Assert.Equal(
            ["backends[0].port", "frontend_port", "health_check.rise", "name"],
            errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    private static ValidLoadBalancer Valid(LoadBalancerRequest request)
    {
        var errors = new ValidationErrors();
        var lb = LoadBalancerValidator.Validate(request, DefaultBind, errors);
        Assert.True(errors.IsEmpty, string.Join("; ", errors.ToDictionary().Keys));
        return Assert.IsType<ValidLoadBalancer>(lb);
    }

    private static void AssertOnlyError(LoadBalancerRequest request, string field)
    {
        var errors = new ValidationErrors();
        Assert.Null(LoadBalancerValidator.Validate(request, DefaultBind, errors));
        Assert.Equal([field], errors.ToDictionary().Keys);
    }
}
