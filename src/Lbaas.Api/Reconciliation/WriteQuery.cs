using Lbaas.Api.Http;
using Lbaas.Api.Monitoring;

namespace Lbaas.Api.Reconciliation;

/// <summary>The query parameters of writes, declared once for every endpoint that reads them.</summary>
public static class WriteQuery
{
    public static readonly QueryParameter Wait = new("wait",
        "true (default): answer once the change is live in HAProxy (ACTIVE) or has failed (ERROR, reason in status_reason), at most Apply:WriteWait (10 s), " +
        "else 202 with the PENDING_* status. false: answer 202 at once. While HAProxy is known to be unreachable the answer is 202 at once too, " +
        "with the reason (status_reason on a load balancer, pending_reason on each backend of a backend write) and a Retry-After header; the change goes live as soon as HAProxy answers again. Any other value is 400.",
        ["true", "false"]);

    /// <summary>Its value is checked by <see cref="WaitForFilter"/>, which also knows it cannot go with wait=false.</summary>
    public static readonly QueryParameter WaitFor = new(OnlineWaiter.Parameter,
        "online: once the change is live, also wait until the load balancer is ONLINE with every health check done (or NO_MONITOR when it has no " +
        "health checks), at most Monitoring:OnlineWait (60 s); then 202 with the current operating_status. ERROR answers at once. Any other value is 400.");

    public static readonly QueryParameter DryRun = new(Reconciliation.DryRun.Parameter,
        "true: store nothing; answer 200 with the load balancer as it would be, its HAProxy sections, and whether haproxy -c accepts the whole " +
        "resulting configuration. false (default): make the change. Any other value is 400.",
        ["true", "false"]);

    /// <summary>Writes that wait for HAProxy and can be previewed.</summary>
    public static readonly QueryParameter[] Rehearsable = [Wait, WaitFor, DryRun];

    /// <summary>Writes that wait for HAProxy but cannot be previewed: dry_run on them is 400, never ignored.</summary>
    public static readonly QueryParameter[] Waiting = [Wait, WaitFor];
}
