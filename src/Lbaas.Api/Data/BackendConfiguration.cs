using Lbaas.Api.Backends;
using Lbaas.Api.Monitoring;
using Lbaas.HaProxy.Values;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lbaas.Api.Data;

internal sealed class BackendConfiguration : IEntityTypeConfiguration<Backend>
{
    public void Configure(EntityTypeBuilder<Backend> builder)
    {
        builder.ToTable("backends", t =>
        {
            t.HasCheckConstraint("ck_backends_port", "port BETWEEN 1 AND 65535");
            t.HasCheckConstraint("ck_backends_weight", $"weight BETWEEN {ConfigValueRules.Weight.Min} AND {ConfigValueRules.Weight.Max}");
        });
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).UseIdentityAlwaysColumn();
        builder.Property(b => b.Name).HasMaxLength(63);
        builder.Property(b => b.Host).HasMaxLength(253);
        builder.Property(b => b.State).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(b => new { b.LoadBalancerId, b.Host, b.Port }).IsUnique();
        // A backend being removed gives its name up at once, e.g. for the rollout replacing it.
        builder.HasIndex(b => new { b.LoadBalancerId, b.Name }).IsUnique().HasFilter("name IS NOT NULL AND remove_by IS NULL");
        // The backend's own ETag; health lives in backend_statuses, so the scraper never changes it.
        builder.Property(b => b.Version).IsRowVersion();
        builder.OwnsOne(b => b.Health, health =>
        {
            health.ToTable("backend_statuses");
            health.WithOwner().HasForeignKey("BackendId");
            health.Property<long>("BackendId").HasColumnName("backend_id");
            health.Property(h => h.OperatingStatus).HasConversion<string>().HasMaxLength(16);
            health.Property(h => h.Reason).HasMaxLength(1024);
        });
    }
}
