namespace Lbaas.Api.Idempotency;

/// <summary>The first successful response to a POST carrying an <c>Idempotency-Key</c>.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Method and path the key was used on: the same key on another resource is another key.</summary>
    public required string Scope { get; set; }
    public required string Key { get; set; }

    /// <summary>SHA-256 of the request re-serialized canonically, so whitespace does not matter.</summary>
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public string? Location { get; set; }
    public string? ResponseBody { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
