namespace Lbaas.Api.Http;

/// <summary>
/// HEAD wherever GET works, and 304 for a GET or HEAD whose If-None-Match holds the current ETag,
/// in one place for every endpoint. Runs before routing: HEAD is routed as GET (MapGet does not
/// take HEAD), the body is kept back and only its length is sent. A GET of the API that answers
/// with a row's ETag gets a digest of its body added (<see cref="ETags.OfRepresentation"/>), so
/// If-None-Match answers 304 only while the whole answer, statuses included, is the same.
/// </summary>
public sealed class ConditionalGet(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var head = HttpMethods.IsHead(request.Method);
        var conditional = request.Headers.IfNoneMatch.Count > 0;
        var api = request.Path.StartsWithSegments("/api", StringComparison.Ordinal);
        if (!(head || HttpMethods.IsGet(request.Method)) || !(head || conditional || api))
        {
            await next(context);
            return;
        }
        var response = context.Response;
        var body = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        if (head)
        {
            request.Method = HttpMethods.Get;
        }
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = body;
            if (head)
            {
                request.Method = HttpMethods.Head;
            }
        }
        var etag = response.Headers.ETag.ToString();
        if (response.StatusCode == StatusCodes.Status200OK && ETags.IsRowTag(etag))
        {
            etag = ETags.OfRepresentation(etag, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            response.Headers.ETag = etag;
        }
        if (conditional && response.StatusCode == StatusCodes.Status200OK && ETags.NoneMatch(request, etag))
        {
            // RFC 9110 15.4.5: a 304 carries the ETag but no content.
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.ContentType = default;
            return;
        }
        // An empty body keeps no length, so UseStatusCodePages can still write a problem for an error.
        if (buffer.Length > 0)
        {
            response.ContentLength ??= buffer.Length;
        }
        if (head)
        {
            return;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(body, context.RequestAborted);
    }
}
