using Lbaas.Api.Backends;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Revisions;

namespace Lbaas.Api.OpenApi;

/// <summary>One request and one response example per operation, shown by Swagger UI and ReDoc.</summary>
internal static class Examples
{
    private static readonly DateTimeOffset Created = new(2026, 11, 24, 9, 30, 0, TimeSpan.Zero);

    private static readonly Backend SampleBackend = new()
    {
        Id = 7,
        LoadBalancerId = 42,
        Name = "web-1",
        Host = "127.0.0.1",
        Port = 9001,
        Weight = 1,
        CreatedAt = Created,
        UpdatedAt = Created,
        Health = new Monitoring.BackendHealth { OperatingStatus = Monitoring.BackendOperatingStatus.Up, Reason = "L7OK 200", Since = Created.AddSeconds(2) },
    };

    private static readonly LoadBalancer Sample = new()
    {
        Id = 42,
        Name = "web-lb",
        Description = "Storefront, staging",
        BindAddress = "127.0.0.1",
        FrontendPort = 10080,
        Labels = new() { ["env"] = "staging", ["team"] = "web" },
        Status = new LoadBalancerStatus
        {
            ProvisioningStatus = ProvisioningStatus.Active,
            OperatingStatus = OperatingStatus.Online,
            OperatingReason = "its backend is up",
            OperatingSince = Created.AddSeconds(2),
        },
        Backends = [SampleBackend],
        CreatedAt = Created,
        UpdatedAt = Created,
    };

    private static readonly LoadBalancerRequest CreateRequest = new(
        Name: "web-lb",
        FrontendPort: 10080,
        Algorithm: Algorithm.RoundRobin,
        Labels: new() { ["env"] = "staging" },
        HealthCheck: new HealthCheckSpec(Path: "/healthz", ExpectedStatus: "200-399", Interval: "2s"),
        Backends: [new BackendRequest("127.0.0.1", 9001, 1, "web-1")]);

    private static readonly BackendRequest BackendCreate = new("127.0.0.1", 9001, 1, "web-1");

    private static readonly RevisionSummary WeightChanged = new(
        131, Created.AddMinutes(5), "ci/deploy-4711", "10.1.2.3", RevisionActions.BackendUpdate, ["backend 127.0.0.1:9001 weight: 1 -> 3"], true);

    private static readonly RevisionSummary FirstRevision = new(118, Created, "alice", "10.1.2.3", RevisionActions.LoadBalancerCreate, ["created"], true);

    public static (object? Request, object? Response) For(string? operationId) => operationId switch
    {
        "CreateLoadBalancer" => (CreateRequest, Sample.ToResponse()),
        "ListLoadBalancers" => (null, new LoadBalancerPage([Sample.ToResponse()], "djE6NDI")),
        "GetLoadBalancer" => (null, Sample.ToResponse()),
        "ReplaceLoadBalancer" => (CreateRequest with { Backends = null }, Sample.ToResponse()),
        "PatchLoadBalancer" => (new Dictionary<string, object?> { ["algorithm"] = "least_connections", ["labels"] = new Dictionary<string, string?> { ["team"] = null } }, Sample.ToResponse()),
        "DeleteLoadBalancer" => (null, Sample.ToResponse() with { ProvisioningStatus = ProvisioningStatus.PendingDelete }),
        "GetLoadBalancerConfig" => (null, "frontend lb_42\n    mode http\n    bind 127.0.0.1:10080\n    ...\nbackend lb_42\n    balance roundrobin\n    server b_7 127.0.0.1:9001 weight 1 check inter 2s fall 3 rise 2\n"),
        "CreateBackend" => (BackendCreate, SampleBackend.ToResponse()),
        "ListBackends" => (null, new[] { SampleBackend.ToResponse() }),
        "ReplaceBackends" => (new[] { BackendCreate, new BackendRequest("127.0.0.1", 9002, 2, "web-2") }, new[] { SampleBackend.ToResponse() }),
        "GetBackend" => (null, SampleBackend.ToResponse()),
        "PatchBackend" => (new Dictionary<string, object> { ["state"] = "draining" }, SampleBackend.ToResponse()),
        "DeleteBackend" => (null, SampleBackend.ToResponse() with { State = BackendState.Draining, RemoveBy = Created.AddSeconds(30) }),
        "ListRevisions" => (null, new RevisionPage([WeightChanged, FirstRevision], null)),
        "GetRevision" => (null, new RevisionResponse(118, Created, "alice", "10.1.2.3", RevisionActions.LoadBalancerCreate, ["created"], true, RevisionRecorder.SpecOf(Sample))),
        "RollbackLoadBalancer" => (new RollbackRequest(118), Sample.ToResponse()),
        "GetHaProxyStatus" => (null, new Reconciliation.HaProxyStatusResponse(true, null, "2.6.12-1+deb12u4", 7838, [11779], 42, 0, [new(11702, 3)],
            new(131, Created.AddMinutes(5), "runtime", 3.4, "RuntimeApplied", true, "3 runtime command(s) on one connection; worker 11779 kept."),
            new(118, 305, 40, 2))
        { Scrape = Monitoring.MonitoringExamples.Scrape }),
        "Alive" => (null, new Readiness.AliveResponse("alive")),
        "Ready" => (null, new Readiness.ReadyResponse("ready", new Dictionary<string, Readiness.CheckResult>
        {
            ["database"] = new("healthy", "PostgreSQL answers and is migrated."),
            ["haproxy_master_socket"] = new("healthy", "HAProxy answers on /var/lib/lbaas/haproxy/master.sock with a live worker."),
            ["haproxy_runtime_socket"] = new("healthy", "HAProxy answers on /var/lib/lbaas/haproxy/admin.sock (show info)."),
            ["last_apply"] = new("healthy", "Revision 131 applied at 2026-11-24T09:35:00.0000000+00:00 (runtime)."),
        })),
        _ => Rollouts.RolloutExamples.For(operationId),
    };
}
