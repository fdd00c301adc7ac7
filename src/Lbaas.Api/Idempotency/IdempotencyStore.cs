using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Idempotency;

/// <summary>
/// Makes a create safe to retry: with an <c>Idempotency-Key</c> header the first successful
/// response is stored in the same transaction as the resource, and a retry with the same key and
/// body gets that response back instead of a second resource. Failures are not stored, so a retry
/// after fixing the cause goes through.
/// </summary>
public sealed class IdempotencyStore(LbaasDb db, IOptions<JsonOptions> json, TimeProvider time)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public async Task<Results<Created<T>, ValidationProblem, ProblemHttpResult>> RunAsync<T>(
        HttpContext http,
        object request,
        Func<Task<Results<Created<T>, ValidationProblem, ProblemHttpResult>>> create,
        CancellationToken ct)
    {
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return await create();
        }
        if (key.Length > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            return Problems.Invalid(Header, $"{Header} must be 1-{MaxKeyLength} visible ASCII characters.");
        }
        var scope = $"{http.Request.Method} {http.Request.Path.Value?.TrimEnd('/')}";
        var hash = Hash(request);
        // Two attempts: the second runs after a concurrent request with the same key committed first.
        for (var attempt = 0; ; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.IdempotencyRecords.Where(r => r.CreatedAt < time.GetUtcNow() - Retention).ExecuteDeleteAsync(ct);
            var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, ct);
            if (existing is not null)
            {
                return existing.RequestHash == hash ? Replay<T>(existing) : Problems.IdempotencyMismatch();
            }
            // Taking the key first makes a concurrent twin wait here until this one commits or
            // rolls back; ON CONFLICT keeps that expected collision out of the error logs.
            var now = time.GetUtcNow();
            var taken = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO idempotency_records (scope, key, request_hash, status_code, created_at)
                VALUES ({scope}, {key}, {hash}, 0, {now}) ON CONFLICT DO NOTHING
                """, ct);
            if (taken == 0)
            {
                await tx.RollbackAsync(ct);
                if (attempt > 0)
                {
                    throw new InvalidOperationException($"Idempotency key '{key}' is held by a request that never finished.");
                }
                continue;
            }
            var result = await create();
            if (result.Result is not Created<T> created)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                return result;
            }
            var body = JsonSerializer.Serialize(created.Value, json.Value.SerializerOptions);
            await db.IdempotencyRecords.Where(r => r.Scope == scope && r.Key == key).ExecuteUpdateAsync(r => r
                .SetProperty(x => x.StatusCode, created.StatusCode)
                .SetProperty(x => x.Location, created.Location)
                .SetProperty(x => x.ResponseBody, body), ct);
            await tx.CommitAsync(ct);
            return result;
        }
    }

    private Created<T> Replay<T>(IdempotencyRecord record) =>
        TypedResults.Created(record.Location, JsonSerializer.Deserialize<T>(record.ResponseBody!, json.Value.SerializerOptions));

    private string Hash(object request)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), json.Value.SerializerOptions);
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }
}
