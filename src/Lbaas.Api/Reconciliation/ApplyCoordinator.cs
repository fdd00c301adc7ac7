using Lbaas.Api.LeastResponseTime;
using Lbaas.Api.Signals;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// The reconciler's one coalescing queue, with two kinds of work: an apply of the whole desired
/// state (writers, the watch and rollouts ask for it; requests made meanwhile are one apply) and
/// runtime weight changes from the least-response-time controller (the latest per server wins).
/// Both wake the same loop, so every command that changes HAProxy goes through it. Writers wait
/// for the next finished apply on <see cref="Applied"/>.
/// </summary>
public sealed class ApplyCoordinator
{
    private readonly Lock _gate = new();
    private Dictionary<(long LoadBalancerId, long BackendId), WeightChange> _weights = [];
    private int _applyRequested;

    /// <summary>Wakes the reconciler; taken by it when it starts the work.</summary>
    public WakeUp WakeUp { get; } = new();

    /// <summary>Fires after every apply, finished or given up.</summary>
    public Pulse Applied { get; } = new();

    public bool ApplyRequested => Volatile.Read(ref _applyRequested) == 1;

    public void RequestApply()
    {
        // The flag before the wake-up: a loop woken by it always sees the flag.
        Volatile.Write(ref _applyRequested, 1);
        WakeUp.Wake();
    }

    /// <summary>Queues weight changes for the reconciler, replacing any not yet sent for the same server.</summary>
    public void RequestWeights(IEnumerable<WeightChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            foreach (var change in changes)
            {
                _weights[(change.LoadBalancerId, change.BackendId)] = change;
            }
        }
        WakeUp.Wake();
    }

    /// <summary>Clears the apply request: the apply that follows reads the desired state after this call.</summary>
    public void TakeApplyRequest() => Volatile.Write(ref _applyRequested, 0);

    /// <summary>The weight changes queued so far, removed from the queue.</summary>
    public IReadOnlyCollection<WeightChange> TakeWeights()
    {
        lock (_gate)
        {
            if (_weights.Count == 0)
            {
                return [];
            }
            var taken = _weights.Values;
            _weights = [];
            return taken;
        }
    }
}
