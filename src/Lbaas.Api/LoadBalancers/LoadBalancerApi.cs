using Lbaas.Api.Backends;
using Lbaas.Api.Data;
using Lbaas.Api.Monitoring;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Revisions;
using Lbaas.Api.Rollouts;

namespace Lbaas.Api.LoadBalancers;

/// <summary>
/// The one route group under <c>/api/v1/loadbalancer</c>. Every endpoint of a load balancer and
/// of what hangs from it (backends, revisions, rollouts, config, status, statistics) is mapped on
/// it or on its <c>/{id}</c> subgroup, so the filters every write needs are set here once:
/// <c>X-Lbaas-Actor</c>, <c>wait_for</c>, <c>Idempotency-Key</c> and deadlock retries. A new
/// resource under a load balancer cannot miss one; reads pass through them untouched.
/// </summary>
public static class LoadBalancerApi
{
    public static RouteGroupBuilder MapLoadBalancerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(LoadBalancerEndpoints.Route)
            .AddEndpointFilter<ActorHeaderFilter>()
            .AddEndpointFilter<WaitForFilter>()
            .AddWriteFilters();
        api.MapLoadBalancers();
        var loadBalancer = api.MapGroup("/{id:long}");
        loadBalancer.MapBackends();
        loadBalancer.MapRevisions();
        loadBalancer.MapRollouts();
        loadBalancer.MapConfigPreview();
        loadBalancer.MapStatus();
        loadBalancer.MapLoadBalancerStats();
        return api;
    }
}
