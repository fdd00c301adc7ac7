using Lbaas.Api.Backends;

namespace Lbaas.Api.Rollouts;

/// <summary>Request and response examples of the rollout operations, for Swagger UI and ReDoc.</summary>
internal static class RolloutExamples
{
    private static readonly DateTimeOffset Created = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);

    private static readonly RolloutRequest Request = new(
        [new BackendRequest("127.0.0.1", 9101, 1, "web-v2-1"), new BackendRequest("127.0.0.1", 9102, 1, "web-v2-2")],
        BatchSize: 1, Interval: "30s", DrainTimeout: "30s", HealthTimeout: "60s");

    private static readonly Rollout Sample = new()
    {
        Id = 3,
        LoadBalancerId = 42,
        State = RolloutState.InProgress,
        Phase = RolloutPhase.Checking,
        Batch = 1,
        BatchCount = 2,
        BatchSize = 1,
        IntervalMs = 30_000,
        DrainTimeoutMs = 30_000,
        HealthTimeoutMs = 60_000,
        Target = [new(null, "127.0.0.1", 9101, 1, "web-v2-1", false, BackendState.Enabled), new(null, "127.0.0.1", 9102, 1, "web-v2-2", false, BackendState.Enabled)],
        Original = [new(7, "127.0.0.1", 9001, 1, "web-1", false, BackendState.Enabled), new(8, "127.0.0.1", 9002, 1, "web-2", false, BackendState.Enabled)],
        Added = [new(11, "127.0.0.1", 9101, 1, "web-v2-1", false, BackendState.Enabled), new(12, "127.0.0.1", 9102, 1, "web-v2-2", false, BackendState.Enabled)],
        HealthyIds = [11],
        RemovedIds = [7],
        CreatedAt = Created,
        UpdatedAt = Created.AddSeconds(41),
        HealthDeadline = Created.AddSeconds(101),
    };

    public static (object? Request, object? Response) For(string? operationId) => operationId switch
    {
        "StartRollout" => (Request, Sample.ToResponse() with { Phase = RolloutPhase.Adding, Batch = 1, Added = [], Healthy = 0, Removed = [], HealthDeadline = null, UpdatedAt = Created }),
        "GetRollout" => (null, Sample.ToResponse()),
        "RollBackRollout" => (null, Sample.ToResponse() with { State = RolloutState.RollingBack, Phase = RolloutPhase.Restoring, Message = "Rolled back on request.", HealthDeadline = null }),
        _ => Monitoring.MonitoringExamples.For(operationId),
    };
}
