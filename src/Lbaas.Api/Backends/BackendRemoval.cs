using Lbaas.Api.Http;
using Lbaas.HaProxy.Values;

namespace Lbaas.Api.Backends;

/// <summary>
/// Removing a backend never cuts a request short: the backend drains (no new sessions, current
/// ones finish), and the reconciler takes it out of HAProxy and deletes the row once its sessions
/// have ended or its drain timeout has passed (see <c>Reconciliation.FinishedDrains</c>).
/// </summary>
public static class BackendRemoval
{
    public static readonly TimeSpan MaxDrainTimeout = TimeSpan.FromHours(1);

    public const string DrainTimeoutMessage = "drain_timeout must be a duration from 0s to 1h, like \"0s\", \"500ms\" or \"30s\".";

    public static readonly QueryParameter DrainTimeoutParameter = new("drain_timeout",
        "How long the backend may drain before its remaining sessions are cut: 0s to 1h (default Apply:DrainTimeout, 30s). Anything else is 400.");

    /// <summary>Starts the removal, or brings an earlier deadline forward; never pushes one back.</summary>
    public static void Start(Backend backend, DateTimeOffset now, TimeSpan drainTimeout)
    {
        var deadline = now + drainTimeout;
        if (backend.RemoveBy is { } existing && existing <= deadline)
        {
            return;
        }
        backend.RemoveBy = deadline;
        if (backend.State == BackendState.Enabled)
        {
            backend.State = BackendState.Draining;
        }
        backend.UpdatedAt = now;
    }

    /// <summary>A <c>drain_timeout</c> parameter; absent takes <paramref name="fallback"/>.</summary>
    public static bool TryParseDrainTimeout(string? value, TimeSpan fallback, out TimeSpan timeout)
    {
        if (value is null)
        {
            timeout = fallback;
            return true;
        }
        if (value is "0")
        {
            timeout = TimeSpan.Zero;
            return true;
        }
        return ConfigValueRules.TryParseDuration(value, out timeout) && timeout <= MaxDrainTimeout;
    }
}
