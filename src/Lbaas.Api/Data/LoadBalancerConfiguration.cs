using System.Text.Json;
using Lbaas.Api.LoadBalancers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lbaas.Api.Data;

internal sealed class LoadBalancerConfiguration : IEntityTypeConfiguration<LoadBalancer>
{
    /// <summary>One sequence for every desired-state write, so "applied up to revision R" is meaningful across load balancers.</summary>
    public const string RevisionSequence = "desired_state_revisions";

    public void Configure(EntityTypeBuilder<LoadBalancer> builder)
    {
        builder.ToTable("load_balancers", t =>
        {
            t.HasCheckConstraint("ck_load_balancers_frontend_port", "frontend_port BETWEEN 1 AND 65535");
            t.HasCheckConstraint("ck_load_balancers_max_connections", "max_connections IS NULL OR max_connections > 0");
        });
        builder.HasKey(lb => lb.Id);
        builder.Property(lb => lb.Id).UseIdentityAlwaysColumn();
        builder.Property(lb => lb.Name).HasMaxLength(63);
        builder.HasIndex(lb => lb.Name).IsUnique();
        builder.Property(lb => lb.Description).HasMaxLength(1024);
        builder.Property(lb => lb.BindAddress).HasMaxLength(45);
        // Exact duplicates are refused here; wildcard overlaps (0.0.0.0 vs 127.0.0.1) by the API.
        builder.HasIndex(lb => new { lb.BindAddress, lb.FrontendPort }).IsUnique();
        builder.Property(lb => lb.Protocol).HasConversion<string>().HasMaxLength(16);
        builder.Property(lb => lb.Algorithm).HasConversion<string>().HasMaxLength(32);
        builder.Property(lb => lb.Revision).HasDefaultValueSql($"nextval('{RevisionSequence}')");
        builder.OwnsOne(lb => lb.Status, status =>
        {
            status.ToTable("load_balancer_statuses");
            status.WithOwner().HasForeignKey("LoadBalancerId");
            status.Property<long>("LoadBalancerId").HasColumnName("load_balancer_id");
            status.Property(s => s.ProvisioningStatus).HasConversion<string>().HasMaxLength(16);
            status.Property(s => s.OperatingStatus).HasConversion<string>().HasMaxLength(16);
            status.Property(s => s.Reason).HasMaxLength(4096);
            status.Property(s => s.OperatingReason).HasMaxLength(1024);
        });
        builder.ComplexProperty(lb => lb.HealthCheck, hc =>
        {
            hc.Property(h => h.Type).HasConversion<string>().HasMaxLength(8);
            hc.Property(h => h.Method).HasMaxLength(8);
            hc.Property(h => h.Path).HasMaxLength(1024);
            hc.Property(h => h.ExpectedStatus).HasMaxLength(128);
        });
        builder.ComplexProperty(lb => lb.Timeouts);
        builder.Property(lb => lb.Labels)
            .HasColumnType("jsonb")
            .HasConversion(
                labels => JsonSerializer.Serialize(labels, (JsonSerializerOptions?)null),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    labels => labels.Aggregate(0, (hash, pair) => hash ^ HashCode.Combine(pair.Key, pair.Value)),
                    labels => new Dictionary<string, string>(labels)));
        // GIN with jsonb_path_ops serves the label filter (labels @> '{"env":"staging"}').
        builder.HasIndex(lb => lb.Labels).HasMethod("gin").HasOperators("jsonb_path_ops");
        builder.Property(lb => lb.Version).IsRowVersion();
        builder.HasMany(lb => lb.Backends)
            .WithOne(b => b.LoadBalancer)
            .HasForeignKey(b => b.LoadBalancerId)
            .OnDelete(DeleteBehavior.Cascade);
    }
}
