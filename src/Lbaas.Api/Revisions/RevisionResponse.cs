using Lbaas.Api.LoadBalancers;

namespace Lbaas.Api.Revisions;

/// <summary>One recorded change to a load balancer.</summary>
/// <param name="Revision">The load balancer's desired-state revision after the change (one sequence across all load balancers, so numbers have gaps).</param>
/// <param name="CreatedAt">When the change was made (UTC).</param>
/// <param name="Actor">Who asked, as the X-Lbaas-Actor header said; null when it was not sent.</param>
/// <param name="Source">The client's address, or the component that made the change.</param>
/// <param name="Action">What was done: load_balancer.create, load_balancer.replace, load_balancer.patch, load_balancer.delete, backend.create, backend.update, backend.delete, backends.replace or rollback.</param>
/// <param name="Changes">What changed since the previous revision, one line each, e.g. "algorithm: round_robin -> least_connections" or "backend 127.0.0.1:9002 added".</param>
/// <param name="Live">Whether HAProxy serves this revision or a later one.</param>
public sealed record RevisionSummary(
    long Revision,
    DateTimeOffset CreatedAt,
    string? Actor,
    string? Source,
    string Action,
    IReadOnlyList<string> Changes,
    bool Live);

/// <summary>One recorded change with the whole spec it left.</summary>
/// <param name="Revision">The load balancer's desired-state revision after the change.</param>
/// <param name="CreatedAt">When the change was made (UTC).</param>
/// <param name="Actor">Who asked, as the X-Lbaas-Actor header said; null when it was not sent.</param>
/// <param name="Source">The client's address, or the component that made the change.</param>
/// <param name="Action">What was done, as in the list.</param>
/// <param name="Changes">What changed since the previous revision, one line each.</param>
/// <param name="Live">Whether HAProxy serves this revision or a later one.</param>
/// <param name="Spec">
/// The load balancer's settings and backends after the change, in the shape of a PUT body
/// (backends being removed left out). POST …/rollback with this revision restores it.
/// </param>
public sealed record RevisionResponse(
    long Revision,
    DateTimeOffset CreatedAt,
    string? Actor,
    string? Source,
    string Action,
    IReadOnlyList<string> Changes,
    bool Live,
    LoadBalancerRequest Spec);

/// <summary>One page of revisions.</summary>
/// <param name="Items">Revisions on this page, newest first.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to get older revisions; null on the last page.</param>
public sealed record RevisionPage(IReadOnlyList<RevisionSummary> Items, string? NextCursor);

/// <summary>Restores an earlier revision.</summary>
/// <param name="Revision">The revision to restore, from GET …/revisions.</param>
public sealed record RollbackRequest(long Revision);
