using Lbaas.Api.Backends;
using Lbaas.Api.Data;
using Lbaas.Api.Hosting;
using Lbaas.Api.Http;
using Lbaas.Api.Idempotency;
using Lbaas.Api.LoadBalancers;
using Lbaas.Api.Metrics;
using Lbaas.Api.Monitoring;
using Lbaas.Api.OpenApi;
using Lbaas.Api.Readiness;
using Lbaas.Api.Reconciliation;
using Lbaas.Api.Revisions;
using Lbaas.Api.Rollouts;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddLbaasVariables();
builder.AddLbaasLogging();
builder.AddLbaasHttp();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddLbaasDatabase(builder.Configuration);
builder.Services.AddOptions<LoadBalancerOptions>()
    .BindConfiguration(LoadBalancerOptions.Section)
    .ValidateDataAnnotations()
    .Validate(o => o.PortRangeStart <= o.PortRangeEnd, "LoadBalancers:PortRangeStart must not exceed PortRangeEnd.")
    .Validate(o => Lbaas.HaProxy.Values.ConfigValueRules.IsIpLiteral(o.DefaultBindAddress),
        "LoadBalancers:DefaultBindAddress (LBAAS_BIND_ADDRESS) must be an IPv4 or IPv6 address literal.")
    .ValidateOnStart();
builder.Services.AddScoped<LoadBalancerWriter>();
builder.Services.AddScoped<IdempotencyStore>();
builder.Services.AddLbaasRevisions();
builder.Services.AddLbaasReconciliation();
builder.Services.AddLbaasRollouts();
builder.Services.AddLbaasMonitoring();
builder.Services.AddLbaasMetrics();
builder.Services.AddLbaasHealth();
builder.Services.AddLbaasOpenApi();

var app = builder.Build();

if (args.Contains(HaProxyBootstrap.Command))
{
    await HaProxyBootstrap.WriteAsync(app.Services, args, CancellationToken.None);
    return;
}
if (!await DatabaseSetup.PrepareAsync(app, migrate: args.Contains(DatabaseSetup.MigrateCommand)))
{
    return;
}

app.UseLbaasMetrics();
app.UseLbaasHttp();
app.UseLbaasOpenApi();
app.MapReadiness();
app.MapLoadBalancerApi();
app.MapHaProxyStatus();
app.MapStats();

await app.RunAsync();

/// <summary>Entry point; public so integration tests can host it.</summary>
public partial class Program;
