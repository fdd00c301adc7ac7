using System.Text.Json;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;

namespace Lbaas.Api.Tests.Unit;

public sealed class JsonSetupTests
{
    private static readonly JsonSerializerOptions Options = JsonSetup.Create();

    [Theory]
    [InlineData(Algorithm.RoundRobin, "\"round_robin\"")]
    [InlineData(Algorithm.WeightedRoundRobin, "\"weighted_round_robin\"")]
    [InlineData(Algorithm.LeastConnections, "\"least_connections\"")]
    [InlineData(Algorithm.SourceIp, "\"source_ip\"")]
    [InlineData(Algorithm.LeastResponseTime, "\"least_response_time\"")]
    public void Serialize_Algorithm_WritesSnakeCaseName(Algorithm value, string expected) =>
        Assert.Equal(expected, JsonSerializer.Serialize(value, Options));

    [Theory]
    [InlineData(ProvisioningStatus.PendingCreate, "\"PENDING_CREATE\"")]
    [InlineData(ProvisioningStatus.Active, "\"ACTIVE\"")]
    public void Serialize_EnumWithMemberName_WritesThatName(ProvisioningStatus value, string expected) =>
        Assert.Equal(expected, JsonSerializer.Serialize(value, Options));

    [Theory]
    [InlineData("\"roundrobin\"", Algorithm.RoundRobin)]
    [InlineData("\"leastconn\"", Algorithm.LeastConnections)]
    [InlineData("\"source\"", Algorithm.SourceIp)]
    [InlineData("\"round_robin\"", Algorithm.RoundRobin)]
    [InlineData("\"least_connections\"", Algorithm.LeastConnections)]
    [InlineData("\"random\"", Algorithm.Random)]
    public void Deserialize_AlgorithmNameOrAlias_ReturnsMember(string json, Algorithm expected) =>
        Assert.Equal(expected, JsonSerializer.Deserialize<Algorithm>(json, Options));

    [Fact]
    public void Deserialize_MemberNameWithUnderscores_ReadsBack() =>
        Assert.Equal(ProvisioningStatus.PendingCreate, JsonSerializer.Deserialize<ProvisioningStatus>("\"PENDING_CREATE\"", Options));

    [Theory]
    [InlineData("\"foo\"")]
    [InlineData("1")]
    [InlineData("\"round-robin\"")]
    [InlineData("true")]
    public void Deserialize_UnknownAlgorithm_ThrowsListingValidValues(string json)
    {
        var exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Algorithm>(json, Options));

        Assert.Contains(
            "round_robin, weighted_round_robin, least_connections, source_ip, random, least_response_time",
            exception.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_NullableEnumProperty_AcceptsAlias()
    {
        var request = JsonSerializer.Deserialize<LoadBalancerRequest>("""{"algorithm":"leastconn"}""", Options);

        Assert.Equal(Algorithm.LeastConnections, request!.Algorithm);
    }

    [Fact]
    public void Deserialize_NumberForNullableEnumProperty_Throws() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LoadBalancerRequest>("""{"algorithm":2}""", Options));

    [Theory]
    [InlineData("""{"frontendport":1}""")]
    [InlineData("""{"name":"web","health_check":{"intervall":"2s"}}""")]
    [InlineData("""{"name":"web","backends":[{"host":"a","port":80,"wieght":1}]}""")]
    public void Deserialize_UnknownProperty_Throws(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LoadBalancerRequest>(json, Options));

    [Fact]
    public void Deserialize_DuplicateProperty_Throws() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LoadBalancerRequest>("""{"name":"a","name":"b"}""", Options));

    [Fact]
    public void Deserialize_NumberAsString_Throws() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LoadBalancerRequest>("""{"frontend_port":"80"}""", Options));

    [Fact]
    public void Deserialize_SnakeCaseProperties_BindsThem()
    {
        var request = JsonSerializer.Deserialize<LoadBalancerRequest>(
            """{"name":"web","frontend_port":10080,"bind_address":"::1","max_connections":5,"health_check":{"expected_status":"200"}}""",
            Options)!;

        Assert.Equal("web", request.Name);
        Assert.Equal(10080, request.FrontendPort);
        Assert.Equal("::1", request.BindAddress);
        Assert.Equal(5, request.MaxConnections);
        Assert.Equal("200", request.HealthCheck!.ExpectedStatus);
    }

    [Fact]
    public void Serialize_Request_UsesSnakeCasePropertyNames()
    {
        var json = JsonSerializer.Serialize(
            new LoadBalancerRequest(FrontendPort: 10080, MaxConnections: 7, HealthCheck: new(ExpectedStatus: "200")),
            Options);

        Assert.Contains("\"frontend_port\":10080", json, StringComparison.Ordinal);
        Assert.Contains("\"max_connections\":7", json, StringComparison.Ordinal);
        Assert.Contains("\"expected_status\":\"200\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("FrontendPort", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Serialize_LabelKeys_AreNotRenamed()
    {
        var json = JsonSerializer.Serialize(new LoadBalancerRequest(Labels: new() { ["TeamName"] = "x" }), Options);

        Assert.Contains("\"TeamName\":\"x\"", json, StringComparison.Ordinal);
    }
}
