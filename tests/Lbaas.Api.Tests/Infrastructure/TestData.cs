namespace Lbaas.Api.Tests.Infrastructure;

public static class TestData
{
    /// <summary>A name no other test uses, valid as a load balancer name.</summary>
    public static string Unique(string prefix = "lb") => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>A frontend port unlikely to collide with other tests in the same database.</summary>
    public static int Port() => Random.Shared.Next(20000, 60000);
}
