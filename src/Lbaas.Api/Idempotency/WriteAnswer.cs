using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;

namespace Lbaas.Api.Idempotency;

/// <summary>What a write answered, as kept for a replay.</summary>
public sealed record WriteAnswer(int StatusCode, string? Location, string? ETag, object? Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>Status, Location and body of a handler's result (typed unions unwrapped); the ETag the handler set on the response.</summary>
    public static WriteAnswer? Of(object? result, HttpResponse response)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }
        if (result is not IStatusCodeHttpResult { StatusCode: { } status })
        {
            return null;
        }
        var location = result.GetType().GetProperty(nameof(Created.Location))?.GetValue(result) as string;
        var etag = response.Headers.ETag.ToString();
        return new WriteAnswer(status, location, etag.Length == 0 ? null : etag, (result as IValueHttpResult)?.Value);
    }
}

/// <summary>Sends a recorded answer again (its body as first sent), marked with <c>Idempotent-Replayed: true</c>.</summary>
internal sealed class ReplayedAnswer(IdempotencyRecord record) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => record.StatusCode;

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = record.StatusCode;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (record.Location is not null)
        {
            http.Response.Headers.Location = record.Location;
        }
        if (record.ETag is not null)
        {
            http.Response.Headers.ETag = record.ETag;
        }
        if (record.ResponseBody is not null)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(record.ResponseBody, Encoding.UTF8);
        }
    }
}
