using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lbaas.Api.Data;

internal sealed class StatusTransitionConfiguration : IEntityTypeConfiguration<StatusTransition>
{
    public void Configure(EntityTypeBuilder<StatusTransition> builder)
    {
        builder.ToTable("status_transitions");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).UseIdentityAlwaysColumn();
        builder.Property(t => t.FromStatus).HasMaxLength(16);
        builder.Property(t => t.ToStatus).HasMaxLength(16);
        builder.Property(t => t.Reason).HasMaxLength(1024);
        builder.HasIndex(t => new { t.LoadBalancerId, t.Id });
        builder.HasIndex(t => t.At);
        builder.HasOne<LoadBalancer>().WithMany().HasForeignKey(t => t.LoadBalancerId).OnDelete(DeleteBehavior.Cascade);
    }
}
