namespace Lbaas.Api.Rollouts;

/// <summary>
/// What a rollout does, worked out from the pool it started from and the pool asked for, both
/// matched by host:port: new backends (asked for, not in the pool) join, old ones (in the pool,
/// not asked for) leave, kept ones (in both) stay and take their asked-for settings at the end.
/// Batch k adds the k-th slice of new backends and removes the k-th slice of old ones.
/// </summary>
public sealed class RolloutPlan
{
    private RolloutPlan(IReadOnlyList<RolloutBackend> added, IReadOnlyList<RolloutBackend> removed, IReadOnlyList<RolloutBackend> kept, int batchSize)
    {
        New = added;
        Old = removed;
        Kept = kept;
        BatchSize = batchSize;
    }

    /// <summary>Asked for and not in the pool, in the order asked.</summary>
    public IReadOnlyList<RolloutBackend> New { get; }

    /// <summary>In the pool and not asked for, by ascending id.</summary>
    public IReadOnlyList<RolloutBackend> Old { get; }

    /// <summary>In both, with the settings asked for.</summary>
    public IReadOnlyList<RolloutBackend> Kept { get; }

    public int BatchSize { get; }

    public int Batches => Math.Max(Slices(New.Count), Slices(Old.Count));

    public static RolloutPlan Of(IReadOnlyList<RolloutBackend> original, IReadOnlyList<RolloutBackend> target, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return new RolloutPlan(
            target.Where(t => !original.Any(t.SameEndpoint)).ToList(),
            original.Where(o => !target.Any(o.SameEndpoint)).OrderBy(o => o.Id).ToList(),
            target.Where(t => original.Any(t.SameEndpoint)).ToList(),
            batchSize);
    }

    public IReadOnlyList<RolloutBackend> NewIn(int batch) => Slice(New, batch);

    public IReadOnlyList<RolloutBackend> OldIn(int batch) => Slice(Old, batch);

    private int Slices(int count) => (count + BatchSize - 1) / BatchSize;

    private List<RolloutBackend> Slice(IReadOnlyList<RolloutBackend> all, int batch) =>
        batch < 0 ? [] : all.Skip(batch * BatchSize).Take(BatchSize).ToList();
}
