using Lbaas.Api.Http;

namespace Lbaas.Api.Monitoring;

/// <summary>Refuses a bad <c>wait_for</c> with 400 before anything is stored.</summary>
public sealed class WaitForFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        !HttpMethods.IsGet(context.HttpContext.Request.Method) && OnlineWaiter.Problem(context.HttpContext.Request) is { } problem
            ? Problems.Invalid(OnlineWaiter.Parameter, problem)
            : await next(context);
}
