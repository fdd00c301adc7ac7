using Lbaas.Api.Backends;
using Lbaas.Api.Idempotency;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Monitoring;
using Lbaas.Api.Revisions;
using Lbaas.Api.Rollouts;
using Microsoft.EntityFrameworkCore;

namespace Lbaas.Api.Data;

/// <summary>The desired state. Handlers use it directly; there is no repository layer.</summary>
public sealed class LbaasDb(DbContextOptions<LbaasDb> options) : DbContext(options)
{
    public DbSet<LoadBalancer> LoadBalancers => Set<LoadBalancer>();
    public DbSet<Backend> Backends => Set<Backend>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<LoadBalancerRevision> Revisions => Set<LoadBalancerRevision>();
    public DbSet<Rollout> Rollouts => Set<Rollout>();
    public DbSet<StatusTransition> StatusTransitions => Set<StatusTransition>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasSequence<long>(LoadBalancerConfiguration.RevisionSequence);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LbaasDb).Assembly);
    }
}
