namespace Lbaas.Api.Revisions;

/// <summary>
/// One change to a load balancer: who made it, when, what changed, and the whole spec
/// (settings and backends) as it was after the change, so it can be restored.
/// </summary>
public sealed class LoadBalancerRevision
{
    public long Id { get; set; }
    public long LoadBalancerId { get; set; }

    /// <summary>The load balancer's desired-state revision after this change (one global sequence).</summary>
    public long Revision { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who asked, as the client said (the <c>X-Lbaas-Actor</c> header); null when it did not say.</summary>
    public string? Actor { get; set; }

    /// <summary>Where the request came from (remote address), or the component that made the change.</summary>
    public string? Source { get; set; }

    /// <summary>What was done, e.g. <c>load_balancer.update</c>, <c>backend.create</c>, <c>rollback</c>.</summary>
    public required string Action { get; set; }

    /// <summary>Human-readable differences from the previous revision, one per entry.</summary>
    public List<string> Changes { get; set; } = [];

    /// <summary>The spec after the change, as JSON in the API's own request shape (jsonb).</summary>
    public required string Spec { get; set; }
}
