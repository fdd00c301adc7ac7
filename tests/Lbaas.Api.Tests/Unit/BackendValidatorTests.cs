using Lbaas.Api.Backends;
using Lbaas.Api.Http;

namespace Lbaas.Api.Tests.Unit;

public sealed class BackendValidatorTests
{
    [Fact]
    public void Validate_HostAndPortOnly_AppliesDefaults()
    {
        var errors = new ValidationErrors();

        var backend = BackendValidator.Validate(new BackendRequest(Host: "Backend-1.SVC.local", Port: 8080), "", errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new ValidBackend(null, "backend-1.svc.local", 8080, 1, false, BackendState.Enabled), backend);
    }

    [Fact]
    public void Validate_EveryField_KeepsThem()
    {
        var backend = BackendValidator.Validate(
            new BackendRequest("::1", 1, 256, "b-1", true, BackendState.Disabled), "", new ValidationErrors());

        Assert.Equal(new ValidBackend("b-1", "::1", 1, 256, true, BackendState.Disabled), backend);
    }

    [Theory]
    [InlineData(null, 80, null, null, "host")]
    [InlineData("bad host", 80, null, null, "host")]
    [InlineData("%[src]", 80, null, null, "host")]
    [InlineData("a", null, null, null, "port")]
    [InlineData("a", 0, null, null, "port")]
    [InlineData("a", 65536, null, null, "port")]
    [InlineData("a", 80, -1, null, "weight")]
    [InlineData("a", 80, 257, null, "weight")]
    [InlineData("a", 80, null, "Bad", "name")]
    [InlineData("a", 80, null, "", "name")]
    public void Validate_InvalidField_ReportsItUnderPrefix(string? host, int? port, int? weight, string? name, string field)
    {
        var errors = new ValidationErrors();

        var backend = BackendValidator.Validate(new BackendRequest(host, port, weight, name), "backends[3].", errors);

        Assert.Null(backend);
        Assert.Equal(["backends[3]." + field], errors.ToDictionary().Keys);
    }

    [Fact]
    public void ValidateSet_ValidSet_ReturnsEveryBackendInOrder()
    {
        var errors = new ValidationErrors();

        var set = BackendValidator.ValidateSet([new BackendRequest("a", 80), new BackendRequest("a", 81), new BackendRequest("b", 80)], "backends", errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal([("a", 80), ("a", 81), ("b", 80)], set!.Select(b => (b.Host, b.Port)));
    }

    [Fact]
    public void ValidateSet_DuplicateHostPort_ReportsLaterOccurrence()
    {
        var errors = new ValidationErrors();

        BackendValidator.ValidateSet([new BackendRequest("a", 80), new BackendRequest("b", 80), new BackendRequest("A", 80)], "backends", errors);

        var messages = Assert.Single(errors.ToDictionary(), e => e.Key == "backends[2].port").Value;
        Assert.Contains("a:80", Assert.Single(messages), StringComparison.Ordinal);
        Assert.Single(errors.ToDictionary());
    }

    [Fact]
    public void ValidateSet_DuplicateName_ReportsLaterOccurrence()
    {
        var errors = new ValidationErrors();

        BackendValidator.ValidateSet([new BackendRequest("a", 80, Name: "x"), new BackendRequest("b", 80, Name: "x")], "pool", errors);

        Assert.Equal(["pool[1].name"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void ValidateSet_NullMember_ReportsThatIndex()
    {
        var errors = new ValidationErrors();

        BackendValidator.ValidateSet([new BackendRequest("a", 80), null], "backends", errors);

        Assert.Equal(["backends[1]"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void ValidateSet_TooManyBackends_ReportsFieldAndReturnsNull()
    {
        var errors = new ValidationErrors();
        var requests = Enumerable.Range(1, BackendValidator.MaxPerRequest + 1).Select(i => new BackendRequest("a", i)).ToList();

        var set = BackendValidator.ValidateSet(requests, "backends", errors);

        Assert.Null(set);
        Assert.Equal(["backends"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void ValidateSet_MaximumBackends_IsAccepted()
    {
        var errors = new ValidationErrors();
        var requests = Enumerable.Range(1, BackendValidator.MaxPerRequest).Select(i => new BackendRequest("a", i)).ToList();

        var set = BackendValidator.ValidateSet(requests, "backends", errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(BackendValidator.MaxPerRequest, set!.Count);
    }
}
