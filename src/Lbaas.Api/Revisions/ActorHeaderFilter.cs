namespace Lbaas.Api.Revisions;

/// <summary>
/// Answers 400 naming <c>X-Lbaas-Actor</c> before a write's handler runs, so no write starts with an
/// actor it cannot record. Reads record nothing and ignore the header.
/// </summary>
public sealed class ActorHeaderFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var reads = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        return (reads ? null : ActorHeader.Check(request)) ?? await next(context);
    }
}
