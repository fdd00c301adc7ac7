using Lbaas.Api.Backends;
using Lbaas.Api.Http;
using Lbaas.Api.Rollouts;

namespace Lbaas.Api.Tests.Unit;

public sealed class RolloutValidatorTests
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);

    private static readonly List<BackendRequest?> OneBackend = [new BackendRequest("127.0.0.1", 9001)];

    [Fact]
    public void Validate_BackendsOnly_AppliesDefaults()
    {
        var errors = new ValidationErrors();

        var valid = RolloutValidator.Validate(new RolloutRequest(OneBackend), Drain, errors);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(valid);
        Assert.Equal(1, valid.BatchSize);
        Assert.Equal(TimeSpan.Zero, valid.Interval);
        Assert.Equal(Drain, valid.DrainTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), valid.HealthTimeout);
    }

    [Fact]
    public void Validate_EveryField_KeepsThem()
    {
        var valid = RolloutValidator.Validate(new RolloutRequest(OneBackend, 3, "5m", "0s", "2m"), Drain, new ValidationErrors());

        Assert.Equal((3, TimeSpan.FromMinutes(5), TimeSpan.Zero, TimeSpan.FromMinutes(2)),
            (valid!.BatchSize, valid.Interval, valid.DrainTimeout, valid.HealthTimeout));
    }

    [Theory]
    [InlineData(0, null, null, null, "batch_size")]
    [InlineData(1001, null, null, null, "batch_size")]
    [InlineData(null, "5 s", null, null, "interval")]
    [InlineData(null, "25h", null, null, "interval")]
    [InlineData(null, null, "2h", null, "drain_timeout")]
    [InlineData(null, null, "soon", null, "drain_timeout")]
    [InlineData(null, null, null, "0s", "health_timeout")]
    [InlineData(null, null, null, "500ms", "health_timeout")]
    [InlineData(null, null, null, "2h", "health_timeout")]
    public void Validate_InvalidField_NamesIt(int? batchSize, string? interval, string? drainTimeout, string? healthTimeout, string field)
    {
        var errors = new ValidationErrors();

        Assert.Null(RolloutValidator.Validate(new RolloutRequest(OneBackend, batchSize, interval, drainTimeout, healthTimeout), Drain, errors));
        Assert.Equal([field], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Validate_MissingOrEmptyOrInvalidBackends_NamesThem()
    {
        var missing = new ValidationErrors();
        var empty = new ValidationErrors();
        var invalid = new ValidationErrors();

        RolloutValidator.Validate(new RolloutRequest(), Drain, missing);
        RolloutValidator.Validate(new RolloutRequest([]), Drain, empty);
        RolloutValidator.Validate(new RolloutRequest([new BackendRequest("127.0.0.1", 9001), new BackendRequest("127.0.0.1", 9001)]), Drain, invalid);

        Assert.Contains("backends", missing.ToDictionary().Keys);
        Assert.Contains("backends", empty.ToDictionary().Keys);
        Assert.Contains("backends[1].port", invalid.ToDictionary().Keys);
    }
}
