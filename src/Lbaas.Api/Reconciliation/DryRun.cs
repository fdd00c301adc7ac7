using Lbaas.Api.Data;
using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Rendering;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Reconciliation;

/// <summary>What a write would do, without doing it.</summary>
/// <param name="DryRun">Always true: nothing was stored.</param>
/// <param name="Valid">Whether HAProxy (<c>haproxy -c</c>) accepts the whole configuration the write would produce.</param>
/// <param name="Message">HAProxy's own alerts when it refuses; null when valid.</param>
/// <param name="LoadBalancer">The load balancer as it would be stored (an id and port are shown but not kept).</param>
/// <param name="Config">The load balancer's sections as they would be written.</param>
public sealed record DryRunResponse(bool DryRun, bool Valid, string? Message, LoadBalancerResponse LoadBalancer, string Config);

/// <summary>
/// <c>?dry_run=true</c>: the handler makes its write inside a transaction that is rolled back, so
/// validation, conflicts and port allocation answer exactly as for real; in between, the whole
/// desired state as it would be goes through the apply's own checks (<see cref="ConfigApplier.CheckAsync"/>:
/// rendering, new ports, <c>haproxy -c</c>), so another load balancer the apply would leave out
/// fails no dry run but its own.
/// </summary>
public sealed class DryRun(LbaasDb db, ConfigApplier applier, IOptions<HaProxyOptions> haproxy)
{
    public const string Parameter = "dry_run";

    /// <summary>Whether <c>?dry_run=true</c> was sent; <see cref="Http.QueryStringGuard"/> has refused any value but true and false.</summary>
    public static bool Requested(HttpRequest request) =>
        string.Equals(request.Query[Parameter], "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The transaction a dry run writes in, begun before the write so that the write's own
    /// helpers (<c>PoolWrite</c>) join it instead of committing; null without <c>?dry_run=true</c>.
    /// </summary>
    public async Task<IDbContextTransaction?> BeginAsync(HttpRequest request, CancellationToken ct) =>
        Requested(request) ? await db.Database.BeginTransactionAsync(ct) : null;

    /// <summary>After the write: reads what it left, rolls <paramref name="rehearsal"/> back and answers with the preview.</summary>
    public async Task<Ok<DryRunResponse>> RehearseAsync(IDbContextTransaction rehearsal, long loadBalancerId, CancellationToken ct)
    {
        var captured = await CaptureAsync(loadBalancerId, ct);
        await rehearsal.RollbackAsync(ct);
        return TypedResults.Ok(await AnswerAsync(captured, ct));
    }

    /// <summary>
    /// A DELETE previewed: the whole configuration without the load balancer, checked with
    /// <c>haproxy -c</c>; the load balancer is shown as it is, and its sections are gone.
    /// </summary>
    public async Task<Ok<DryRunResponse>> RehearseDeletionAsync(long loadBalancerId, CancellationToken ct)
    {
        var rest = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).AsSplitQuery()
            .Where(l => l.Id != loadBalancerId && l.Status.ProvisioningStatus != ProvisioningStatus.PendingDelete).ToListAsync(ct);
        var target = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstAsync(l => l.Id == loadBalancerId, ct);
        var (valid, message) = await ValidateAsync(ConfigModelMapper.From(rest, haproxy.Value, DescriptorLimit.Current), null, ct);
        return TypedResults.Ok(new DryRunResponse(true, valid, message, target.ToResponse(), ""));
    }

    /// <summary>
    /// Reads the desired state as the write left it, inside the write's transaction. Roll back
    /// right after: <see cref="AnswerAsync"/> runs <c>haproxy -c</c> without holding any lock.
    /// </summary>
    private async Task<Rehearsal> CaptureAsync(long loadBalancerId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var all = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).AsSplitQuery()
            .Where(l => l.Status.ProvisioningStatus != ProvisioningStatus.PendingDelete).ToListAsync(ct);
        return new Rehearsal(ConfigModelMapper.From(all, haproxy.Value, DescriptorLimit.Current), all.Single(l => l.Id == loadBalancerId));
    }

    private async Task<DryRunResponse> AnswerAsync(Rehearsal rehearsal, CancellationToken ct)
    {
        var (valid, message) = await ValidateAsync(rehearsal.Model, rehearsal.Target.Id, ct);
        return new DryRunResponse(true, valid, message, rehearsal.Target.ToResponse(), SafePreview(rehearsal.Model, rehearsal.Target.Id));
    }

    /// <summary>The whole configuration a write would produce, and the load balancer it wrote.</summary>
    private sealed record Rehearsal(Lbaas.HaProxy.Config.ConfigModel Model, LoadBalancer Target);

    /// <summary>Valid when the apply would take it; left out by the apply counts as invalid for <paramref name="target"/> only.</summary>
    private async Task<(bool, string?)> ValidateAsync(Lbaas.HaProxy.Config.ConfigModel model, long? target, CancellationToken ct)
    {
        var check = await applier.CheckAsync(model, ct);
        if (check.Excluded.FirstOrDefault(e => e.Id == target) is { } excluded)
        {
            return (false, excluded.Reason);
        }
        return (check.Valid, check.Message);
    }

    private string SafePreview(Lbaas.HaProxy.Config.ConfigModel model, long id)
    {
        try
        {
            return applier.Renderer.RenderLoadBalancer(model, id);
        }
        catch (ConfigValueException e)
        {
            return $"# not renderable: {e.Message}";
        }
    }
}
