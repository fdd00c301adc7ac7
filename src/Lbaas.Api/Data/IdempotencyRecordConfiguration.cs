using Lbaas.Api.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lbaas.Api.Data;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records");
        builder.HasKey(r => new { r.Scope, r.Key });
        builder.Property(r => r.Scope).HasMaxLength(256);
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.Location).HasMaxLength(512);
        builder.Property(r => r.ETag).HasColumnName("etag").HasMaxLength(64);
        // text, not jsonb: a replay sends the body exactly as first sent.
        builder.Property(r => r.ResponseBody).HasColumnType("text");
        builder.HasIndex(r => r.CreatedAt);
    }
}
