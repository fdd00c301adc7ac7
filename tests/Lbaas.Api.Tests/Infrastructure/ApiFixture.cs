namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>A migrated database of its own and the API on it, shared by the tests of one class.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private ApiFactory? _factory;

    public ApiFactory Factory => _factory ?? throw new InvalidOperationException("Fixture not initialized.");

    public HttpClient CreateClient() => Factory.CreateClient();

    public async Task InitializeAsync() => _factory = await ApiFactory.StartAsync(await TestPostgres.CreateDatabaseAsync());

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
