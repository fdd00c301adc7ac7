using Lbaas.HaProxy.Applying;

namespace Lbaas.HaProxy.Tests.Applying;

/// <summary>
/// What the <c>ConfigApplier*Tests</c> share, started once for the collection: the backends their
/// load balancers route to, which answer every test alike (a test that counts requests compares
/// with its own earlier count). Each test still gets a HAProxy of its own from <see cref="StartAsync"/>:
/// the tests assert on what a fresh master reports (its reload count, the first apply of a file no
/// applier has confirmed, the files beside it), which one shared HAProxy would carry from test to test.
/// </summary>
/// <remarks>A test class takes it through its base, <see cref="ApplierTest"/>.</remarks>
public sealed class ApplierFixture : IAsyncLifetime
{
    public TestBackend Alpha { get; private set; } = null!;

    public TestBackend Beta { get; private set; } = null!;

    public TestBackend Gamma { get; private set; } = null!;

    public TestBackend Other { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Alpha = await TestBackend.StartAsync("alpha", keepAlive: false);
        Beta = await TestBackend.StartAsync("beta", keepAlive: false);
        Gamma = await TestBackend.StartAsync("gamma", keepAlive: false);
        Other = await TestBackend.StartAsync("other", keepAlive: false);
    }

    /// <summary>A HAProxy started the way deploy/local starts it, running an initial file no applier has confirmed, and an applier driving it.</summary>
    public static async Task<(TestHaProxy HaProxy, ConfigApplier Applier)> StartAsync()
    {
        var haproxy = await TestHaProxy.StartAsync();
        return (haproxy, Appliers.For(haproxy));
    }

    public async Task DisposeAsync()
    {
        foreach (var backend in new[] { Alpha, Beta, Gamma, Other })
        {
            if (backend is not null)
            {
                await backend.DisposeAsync();
            }
        }
    }
}
