using System.Text.Json.Serialization;
using Lbaas.Api.Backends;

namespace Lbaas.Api.Rollouts;

/// <summary>
/// A rolling replacement of a load balancer's pool, advanced step by step by
/// <see cref="RolloutRunner"/>. Every step is persisted here, so a restarted API resumes where it
/// was; <see cref="Original"/> is the pool as it was, so a rollback restores it exactly.
/// </summary>
public sealed class Rollout
{
    public long Id { get; set; }
    public long LoadBalancerId { get; set; }
    public RolloutState State { get; set; }
    public RolloutPhase Phase { get; set; }

    /// <summary>The batch under way, from 0.</summary>
    public int Batch { get; set; }

    public int BatchCount { get; set; }
    public int BatchSize { get; set; }
    public int IntervalMs { get; set; }
    public int DrainTimeoutMs { get; set; }
    public int HealthTimeoutMs { get; set; }

    /// <summary>The pool asked for (jsonb).</summary>
    public List<RolloutBackend> Target { get; set; } = [];

    /// <summary>The pool when the rollout started, with ids and settings (jsonb).</summary>
    public List<RolloutBackend> Original { get; set; } = [];

    /// <summary>New backends added so far, with their ids (jsonb).</summary>
    public List<RolloutBackend> Added { get; set; } = [];

    /// <summary>Ids of the added backends that passed their checks when last looked at.</summary>
    public List<long> HealthyIds { get; set; } = [];

    /// <summary>Ids of the original backends whose removal has started.</summary>
    public List<long> RemovedIds { get; set; } = [];

    /// <summary>
    /// <c>X-Lbaas-Actor</c> of the request that started the rollout, or of the one that asked for
    /// its rollback since: every step's revision is recorded as theirs.
    /// </summary>
    public string? Actor { get; set; }

    /// <summary>Why it rolled back or failed; how it ended otherwise.</summary>
    public string? Message { get; set; }

    /// <summary>While <see cref="RolloutPhase.Checking"/>: the added backends must be healthy by then.</summary>
    public DateTimeOffset? HealthDeadline { get; set; }

    /// <summary>While <see cref="RolloutPhase.Pausing"/>: when the next batch starts.</summary>
    public DateTimeOffset? NextStepAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c>: a step and a rollback request never both win.</summary>
    public uint Version { get; set; }

    public bool IsActive => State is RolloutState.InProgress or RolloutState.RollingBack;
}

public enum RolloutState
{
    InProgress,
    Completed,
    RollingBack,
    RolledBack,
    Failed,
}

/// <summary>Where a rollout is inside its current batch (or its rollback).</summary>
public enum RolloutPhase
{
    /// <summary>The batch's new backends are about to join, draining (checked, no traffic).</summary>
    Adding,

    /// <summary>Waiting for every backend added so far to pass its health checks.</summary>
    Checking,

    /// <summary>The batch's new backends take traffic; the batch's old ones drain and are being removed.</summary>
    Removing,

    /// <summary>Waiting <c>interval</c> before the next batch.</summary>
    Pausing,

    /// <summary>Every batch is done: kept backends get their target settings.</summary>
    Finishing,

    /// <summary>Rolling back: the added backends start draining, the original pool is put back.</summary>
    Restoring,

    /// <summary>Rolling back: waiting until the added backends are gone.</summary>
    RemovingAdded,

    Done,
}

/// <summary>A backend as a rollout stores it: asked for (no id) or as it was in the pool.</summary>
/// <param name="Id">The backend's id; absent for one asked for.</param>
/// <param name="Host">IP literal or host name.</param>
/// <param name="Port">Port of the server.</param>
/// <param name="Weight">Share of the traffic, 0-256.</param>
/// <param name="Name">Optional name.</param>
/// <param name="Backup">Only used when every non-backup server is down.</param>
/// <param name="State">enabled, draining or disabled.</param>
public sealed record RolloutBackend(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Id,
    string Host,
    int Port,
    int Weight,
    string? Name,
    bool Backup,
    BackendState State)
{
    public static RolloutBackend From(Backend b) => new(b.Id, b.Host, b.Port, b.Weight, b.Name, b.Backup, b.State);

    public static RolloutBackend From(ValidBackend v) => new(null, v.Host, v.Port, v.Weight, v.Name, v.Backup, v.State);

    public ValidBackend ToValid() => new(Name, Host, Port, Weight, Backup, State);

    public bool SameEndpoint(Backend b) => b.Host == Host && b.Port == Port;

    public bool SameEndpoint(RolloutBackend b) => b.Host == Host && b.Port == Port;
}
