namespace Lbaas.Api.Idempotency;

/// <summary>
/// The answer to a write carrying an <c>Idempotency-Key</c>. Taken in the write's own transaction
/// with the resource as written (202); replaced by the final answer once the write has answered.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>Method and path the key was used on: the same key on another resource is another key.</summary>
    public required string Scope { get; set; }
    public required string Key { get; set; }

    /// <summary>SHA-256 of the body re-serialized canonically (whitespace does not matter) and of the query parameters that change the write.</summary>
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public string? ResponseBody { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A request's key, scoped to its method and path, and the hash of what it asks.</summary>
public sealed record IdempotencyClaim(string Scope, string Key, string RequestHash);

/// <summary>A concurrent request with the same key committed first: this write is rolled back and answered with that one's response.</summary>
public sealed class IdempotencyKeyTakenException(string key) : Exception($"Idempotency key '{key}' was taken by a concurrent request.");
