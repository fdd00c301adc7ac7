using System.Text.Json;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Revisions;
using Lbaas.Api.Rollouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lbaas.Api.Data;

internal sealed class RolloutConfiguration : IEntityTypeConfiguration<Rollout>
{
    /// <summary>The partial unique index that allows one active rollout per load balancer.</summary>
    public const string OneActiveIndex = "ix_rollouts_one_active";

    // Stored in the API's own shape (snake_case), but lenient: a field added later must not break old rows.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new SnakeCaseEnumConverter() },
    };

    public void Configure(EntityTypeBuilder<Rollout> builder)
    {
        builder.ToTable("rollouts", t =>
        {
            t.HasCheckConstraint("ck_rollouts_batch_size", "batch_size >= 1");
            t.HasCheckConstraint("ck_rollouts_durations", "interval_ms >= 0 AND drain_timeout_ms >= 0 AND health_timeout_ms > 0");
        });
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Phase).HasConversion<string>().HasMaxLength(16);
        Jsonb(builder.Property(r => r.Target));
        Jsonb(builder.Property(r => r.Original));
        Jsonb(builder.Property(r => r.Added));
        builder.Property(r => r.Message).HasMaxLength(4096);
        builder.Property(r => r.Actor).HasMaxLength(ActorHeader.MaxLength);
        builder.Property(r => r.Version).IsRowVersion();
        builder.Ignore(r => r.IsActive);
        builder.HasIndex(r => r.LoadBalancerId).IsUnique().HasFilter($"state IN ('{nameof(RolloutState.InProgress)}', '{nameof(RolloutState.RollingBack)}')").HasDatabaseName(OneActiveIndex);
        builder.HasIndex(r => new { r.LoadBalancerId, r.Id });
        builder.HasOne<LoadBalancer>().WithMany().HasForeignKey(r => r.LoadBalancerId).OnDelete(DeleteBehavior.Cascade);
    }

    private static void Jsonb(PropertyBuilder<List<RolloutBackend>> property) =>
        property.HasColumnType("jsonb").HasConversion(
            list => JsonSerializer.Serialize(list, Json),
            json => JsonSerializer.Deserialize<List<RolloutBackend>>(json, Json) ?? new List<RolloutBackend>(),
            new ValueComparer<List<RolloutBackend>>(
                (a, b) => a!.SequenceEqual(b!),
                list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
                list => list.ToList()));
}
