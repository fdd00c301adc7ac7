using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Lbaas.Api.Hosting;

public static class LoggingSetup
{
    /// <summary>Serilog everywhere: readable text in Development, one JSON object per line elsewhere.</summary>
    public static void AddLbaasLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
                .Enrich.FromLogContext();
            if (development)
            {
                logger.WriteTo.Console();
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        });
    }
}
