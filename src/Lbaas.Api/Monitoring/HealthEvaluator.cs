using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Stats;

namespace Lbaas.Api.Monitoring;

/// <summary>
/// Judges operating status from <c>show stat</c>, as a pure function. A backend mirrors what
/// HAProxy does with it, with the check's result as the reason. A load balancer counts only the
/// backends asked to take traffic (enabled, not being removed): all UP is ONLINE, some DOWN is
/// DEGRADED, none UP is OFFLINE; no health checks is NO_MONITOR; a configuration HAProxy refused is ERROR.
/// </summary>
public static class HealthEvaluator
{
    public static LoadBalancerHealth Evaluate(MonitoredLoadBalancer lb, HaProxySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(lb);
        ArgumentNullException.ThrowIfNull(snapshot);
        var backends = lb.Backends.Select(b => Observe(b, snapshot.Server(lb.Id, b.Id), lb.ChecksEnabled)).ToList();
        var (status, reason) = Judge(lb, snapshot.Frontend(lb.Id) is not null, backends);
        var counted = backends.Where(Counts).ToList();
        return new LoadBalancerHealth(lb.Id, status, reason, backends, counted.Any(b => !Confirmed(b, lb.ChecksEnabled)));
    }

    public static ObservedBackend Observe(MonitoredBackend backend, StatRow? row, bool checksEnabled)
    {
        if (row is null)
        {
            return new ObservedBackend(backend, null, backend.Removing ? "removed from HAProxy" : "not in HAProxy yet", false, null);
        }
        var check = CheckResult(row);
        var (status, reason, pending) = row.Status switch
        {
            var s when s.StartsWith("MAINT", StringComparison.Ordinal) && s.Contains("resolution", StringComparison.Ordinal) =>
                (BackendOperatingStatus.Down, $"DNS name {backend.Host} does not resolve", false),
            var s when s.StartsWith("MAINT", StringComparison.Ordinal) =>
                (BackendOperatingStatus.Maint, backend.State == BackendState.Disabled ? "disabled by the operator" : $"in maintenance ({s})", false),
            _ when backend.Removing => (BackendOperatingStatus.Draining, Join("being removed, draining its sessions", check), false),
            var s when backend.State == BackendState.Draining || s.StartsWith("DRAIN", StringComparison.Ordinal) || s.StartsWith("NOLB", StringComparison.Ordinal) =>
                (BackendOperatingStatus.Draining, Join("draining, as asked", check), false),
            "no check" => (BackendOperatingStatus.NoCheck, "health checks are off", false),
            var s when s.StartsWith("UP", StringComparison.Ordinal) && check.Length == 0 =>
                (BackendOperatingStatus.Up, "first health check pending", checksEnabled),
            var s when s.StartsWith("UP", StringComparison.Ordinal) =>
                (BackendOperatingStatus.Up, s.Contains('/', StringComparison.Ordinal) ? $"{check} (failing, {s})" : check, false),
            var s when s.StartsWith("DOWN", StringComparison.Ordinal) =>
                (BackendOperatingStatus.Down, s.Contains('/', StringComparison.Ordinal) ? $"{check} (recovering, {s})" : Fallback(check, "down"), false),
            var s => (BackendOperatingStatus.Down, $"HAProxy reports {s}", false),
        };
        return new ObservedBackend(backend, status, reason, pending, row);
    }

    /// <summary>
    /// The last check as a person reads it: "L7STS 503 service unavailable", "L4CON connection
    /// refused", "L7OK 200"; empty before the first check. A passed check needs no detail.
    /// </summary>
    public static string CheckResult(StatRow row)
    {
        var status = row.LastCheckStatus;
        if (status.Length == 0 || status == "INI")
        {
            return "";
        }
        var code = row.CheckCode is { } c ? $" {c}" : "";
        if (row.LastCheckPassed)
        {
            return status + code;
        }
        var detail = row.LastCheck.Length > 0 ? row.LastCheck : row.CheckDescription;
        return detail.Length == 0 ? status + code : $"{status}{code} {detail.ToLowerInvariant()}";
    }

    private static (OperatingStatus, string) Judge(MonitoredLoadBalancer lb, bool inHaProxy, List<ObservedBackend> backends)
    {
        if (lb.Provisioning == ProvisioningStatus.Error)
        {
            return (OperatingStatus.Error, lb.ProvisioningReason ?? "HAProxy refused its configuration");
        }
        if (lb.Provisioning == ProvisioningStatus.PendingDelete)
        {
            return (OperatingStatus.Offline, "being deleted");
        }
        if (!inHaProxy)
        {
            return (OperatingStatus.Offline, "not in HAProxy yet");
        }
        var counted = backends.Where(Counts).ToList();
        if (counted.Count == 0)
        {
            return (OperatingStatus.Offline, backends.Count == 0 ? "no backends" : "no backend is enabled");
        }
        var down = counted.Where(b => b.Status is not BackendOperatingStatus.Up and not BackendOperatingStatus.NoCheck).ToList();
        if (down.Count == counted.Count)
        {
            return (OperatingStatus.Offline, $"all {Plural(counted.Count, "backend")} down: {Describe(down)}");
        }
        if (!lb.ChecksEnabled)
        {
            return (OperatingStatus.NoMonitor, "health checks are off");
        }
        if (down.Count > 0)
        {
            return (OperatingStatus.Degraded, $"{down.Count} of {Plural(counted.Count, "backend")} down: {Describe(down)}");
        }
        return (OperatingStatus.Online, $"{(counted.Count == 1 ? "its backend is" : $"all {counted.Count} backends are")} up");
    }

    /// <summary>Steadily up with a passed last check: no check pending or failing, no "UP 2/3" on the way down.</summary>
    private static bool Confirmed(ObservedBackend b, bool checksEnabled)
    {
        if (b.Row is null || b.Status is not (BackendOperatingStatus.Up or BackendOperatingStatus.NoCheck))
        {
            return false;
        }
        if (!checksEnabled || b.Status == BackendOperatingStatus.NoCheck)
        {
            return true;
        }
        return b.Row.Status == "UP" && b.Row.LastCheckPassed;
    }

    /// <summary>Backends asked to take traffic; the ones the operator drains or disables do not make a load balancer degraded.</summary>
    private static bool Counts(ObservedBackend b) => b.Backend.State == BackendState.Enabled && !b.Backend.Removing;

    private static string Describe(List<ObservedBackend> down) =>
        string.Join(", ", down.Take(5).Select(b => $"{b.Backend.Label} ({b.Reason})")) + (down.Count > 5 ? $" and {down.Count - 5} more" : "");

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static string Join(string what, string check) => check.Length == 0 ? what : $"{what}; last check {check}";

    private static string Fallback(string check, string otherwise) => check.Length == 0 ? otherwise : check;
}
