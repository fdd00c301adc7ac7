using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lbaas.Api.Data;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Idempotency;

/// <summary>
/// The <c>idempotency_records</c> table: look a key up, take it inside a write's transaction, record
/// the final answer. Only writes that committed have a record, so a failed attempt can be retried
/// with the same key after fixing the cause. Records are kept 24 h.
/// </summary>
public sealed class IdempotencyStore(LbaasDb db, IOptions<JsonOptions> json, TimeProvider time)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>Query parameters that shape the answer but not the write; every other one is part of the request.</summary>
    private static readonly HashSet<string> ResponseOnly = new(StringComparer.OrdinalIgnoreCase) { "wait", Monitoring.OnlineWaiter.Parameter };

    public JsonSerializerOptions Json => json.Value.SerializerOptions;

    public async Task<IdempotencyRecord?> FindAsync(IdempotencyClaim claim, CancellationToken ct)
    {
        await db.IdempotencyRecords.Where(r => r.CreatedAt < time.GetUtcNow() - Retention).ExecuteDeleteAsync(ct);
        return await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == claim.Scope && r.Key == claim.Key, ct);
    }

    /// <summary>
    /// Takes the key in the current transaction, answering 202 with the resource as written until
    /// <see cref="RecordAsync"/> replaces it. False when a concurrent twin holds it: ON CONFLICT
    /// waits until that one commits (then false) or rolls back (then true).
    /// </summary>
    public async Task<bool> ClaimAsync(IdempotencyClaim claim, string location, object written, string etag, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(written, written.GetType(), Json);
        var taken = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO idempotency_records (scope, key, request_hash, status_code, location, etag, response_body, created_at)
            VALUES ({claim.Scope}, {claim.Key}, {claim.RequestHash}, {StatusCodes.Status202Accepted}, {location}, {etag}, {body}, {time.GetUtcNow()})
            ON CONFLICT DO NOTHING
            """, ct);
        return taken == 1;
    }

    /// <summary>Replaces the provisional answer with the one the client got.</summary>
    public Task RecordAsync(IdempotencyClaim claim, WriteAnswer answer, CancellationToken ct)
    {
        var body = answer.Body is null ? null : JsonSerializer.Serialize(answer.Body, answer.Body.GetType(), Json);
        return db.IdempotencyRecords.Where(r => r.Scope == claim.Scope && r.Key == claim.Key).ExecuteUpdateAsync(r => r
            .SetProperty(x => x.StatusCode, answer.StatusCode)
            .SetProperty(x => x.Location, answer.Location)
            .SetProperty(x => x.ETag, answer.ETag)
            .SetProperty(x => x.ResponseBody, body), ct);
    }

    /// <summary>The request's identity: method and path for the scope; body arguments and query for the hash.</summary>
    public IdempotencyClaim ClaimFor(HttpRequest request, string key, IEnumerable<object?> bodies)
    {
        var canonical = new JsonObject
        {
            ["query"] = new JsonObject(request.Query.Where(q => !ResponseOnly.Contains(q.Key)).OrderBy(q => q.Key, StringComparer.Ordinal)
                .Select(q => KeyValuePair.Create(q.Key, (JsonNode?)JsonValue.Create(q.Value.ToString())))),
            ["body"] = new JsonArray(bodies.Select(b => b is null ? null : JsonSerializer.SerializeToNode(b, b.GetType(), Json)).ToArray()),
        };
        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical, Json)));
        return new IdempotencyClaim($"{request.Method} {request.Path.Value?.TrimEnd('/')}", key, hash);
    }
}
