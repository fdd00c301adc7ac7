using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Lbaas.Api.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<LbaasDb>
{
    public LbaasDb CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<LbaasDb>();
        DatabaseSetup.Configure(options, Environment.GetEnvironmentVariable("LBAAS_DATABASE_URL") ?? "Host=127.0.0.1;Database=lbaas");
        return new LbaasDb(options.Options);
    }
}
