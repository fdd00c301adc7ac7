using Lbaas.Api.Data;
using Lbaas.Api.Http;
using Lbaas.Api.LoadBalancers;
using Lbaas.HaProxy.Rendering;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Lbaas.Api.Reconciliation;

public static class ConfigPreviewEndpoints
{
    /// <param name="loadBalancer">The <see cref="LoadBalancerApi"/> group of one load balancer.</param>
    public static RouteHandlerBuilder MapConfigPreview(this RouteGroupBuilder loadBalancer) =>
        loadBalancer.MapGet("/config", Get)
            .WithTags("Load balancers").WithName("GetLoadBalancerConfig")
            .WithSummary("Preview a load balancer's HAProxy configuration")
            .WithDescription("The frontend and backend sections this load balancer renders to, as text, exactly as they are written into haproxy.cfg.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Get(
        long id, LbaasDb db, ConfigRenderer renderer, IOptions<HaProxyOptions> haproxy, CancellationToken ct)
    {
        var lb = await db.LoadBalancers.AsNoTracking().Include(l => l.Backends).FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lb is null)
        {
            return Problems.NotFound("Load balancer", id);
        }
        var model = ConfigModelMapper.From([lb], haproxy.Value, DescriptorLimit.Current);
        try
        {
            return TypedResults.Text(renderer.RenderLoadBalancer(model, id), "text/plain");
        }
        catch (Exception e) when (e is ConfigValueException or Scriban.Syntax.ScriptRuntimeException)
        {
            // Stored values always render with the built-in templates; an operator's template may not.
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot render this load balancer");
        }
    }
}
