using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Revisions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lbaas.Api.Data;

internal sealed class LoadBalancerRevisionConfiguration : IEntityTypeConfiguration<LoadBalancerRevision>
{
    public void Configure(EntityTypeBuilder<LoadBalancerRevision> builder)
    {
        builder.ToTable("load_balancer_revisions");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(r => new { r.LoadBalancerId, r.Revision }).IsUnique();
        builder.Property(r => r.Actor).HasMaxLength(256);
        builder.Property(r => r.Source).HasMaxLength(256);
        builder.Property(r => r.Action).HasMaxLength(64);
        builder.Property(r => r.Spec).HasColumnType("jsonb");
        builder.HasOne<LoadBalancer>().WithMany().HasForeignKey(r => r.LoadBalancerId).OnDelete(DeleteBehavior.Cascade);
    }
}
