using Lbaas.Api.Backends;
using Lbaas.Api.Http;
using Lbaas.HaProxy.Values;

namespace Lbaas.Api.Rollouts;

/// <summary>A rollout request that passed validation, with every default applied.</summary>
public sealed record ValidRollout(IReadOnlyList<ValidBackend> Backends, int BatchSize, TimeSpan Interval, TimeSpan DrainTimeout, TimeSpan HealthTimeout);

public static class RolloutValidator
{
    public const int MaxBatchSize = 1000;
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(24);
    public static readonly TimeSpan DefaultHealthTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MinHealthTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxHealthTimeout = TimeSpan.FromHours(1);

    /// <param name="request">The request as sent.</param>
    /// <param name="defaultDrainTimeout">Apply:DrainTimeout, as DELETE uses it.</param>
    /// <param name="errors">Every field error, keyed by JSON path.</param>
    public static ValidRollout? Validate(RolloutRequest request, TimeSpan defaultDrainTimeout, ValidationErrors errors)
    {
        IReadOnlyList<ValidBackend>? backends = null;
        if (request.Backends is null)
        {
            errors.Add("backends", "backends is required: the pool to end with.");
        }
        else if (request.Backends.Count == 0)
        {
            errors.Add("backends", "backends must name at least one backend; to empty the pool, use PUT …/backends.");
        }
        else
        {
            backends = BackendValidator.ValidateSet(request.Backends, "backends", errors);
        }
        if (request.BatchSize is < 1 or > MaxBatchSize)
        {
            errors.Add("batch_size", $"batch_size must be between 1 and {MaxBatchSize}.");
        }
        var interval = TimeSpan.Zero;
        if (request.Interval is not null && !(ConfigValueRules.TryParseDuration(request.Interval, out interval) && interval <= MaxInterval))
        {
            errors.Add("interval", "interval must be a duration from 0s to 24h, like \"0s\", \"30s\" or \"5m\".");
        }
        if (!BackendRemoval.TryParseDrainTimeout(request.DrainTimeout, defaultDrainTimeout, out var drainTimeout))
        {
            errors.Add("drain_timeout", BackendRemoval.DrainTimeoutMessage);
        }
        var healthTimeout = DefaultHealthTimeout;
        if (request.HealthTimeout is not null
            && !(ConfigValueRules.TryParseDuration(request.HealthTimeout, out healthTimeout) && healthTimeout >= MinHealthTimeout && healthTimeout <= MaxHealthTimeout))
        {
            errors.Add("health_timeout", "health_timeout must be a duration from 1s to 1h, like \"30s\" or \"2m\".");
        }
        return errors.IsEmpty && backends is not null
            ? new ValidRollout(backends, request.BatchSize ?? 1, interval, drainTimeout, healthTimeout)
            : null;
    }
}
