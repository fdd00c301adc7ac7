namespace Lbaas.Api.Revisions;

/// <summary>The actions the API records. Other components (a rollout) may record their own.</summary>
public static class RevisionActions
{
    public const string LoadBalancerCreate = "load_balancer.create";
    public const string LoadBalancerReplace = "load_balancer.replace";
    public const string LoadBalancerPatch = "load_balancer.patch";
    public const string LoadBalancerDelete = "load_balancer.delete";
    public const string BackendCreate = "backend.create";
    public const string BackendUpdate = "backend.update";
    public const string BackendDelete = "backend.delete";
    public const string BackendsReplace = "backends.replace";
    public const string Rollback = "rollback";
    public const string Rollout = "rollout";
}
