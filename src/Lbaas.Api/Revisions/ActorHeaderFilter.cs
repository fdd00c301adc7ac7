namespace Lbaas.Api.Revisions;

/// <summary>Answers 400 naming <c>X-Lbaas-Actor</c> before a handler runs, so no write starts with an actor it cannot record.</summary>
public sealed class ActorHeaderFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        ActorHeader.Check(context.HttpContext.Request) ?? await next(context);
}
