using Lbaas.HaProxy.Applying;

namespace Lbaas.HaProxy.Tests.Applying;

/// <summary>A test of the <c>ConfigApplier*Tests</c>: its own HAProxy and an applier driving it; the backends come from <see cref="ApplierFixture"/>.</summary>
public abstract class ApplierTest : IAsyncLifetime
{
    protected TestHaProxy HaProxy { get; private set; } = null!;

    protected ConfigApplier Applier { get; private set; } = null!;

    public virtual async Task InitializeAsync() => (HaProxy, Applier) = await ApplierFixture.StartAsync();

    public async Task DisposeAsync() => await HaProxy.DisposeAsync();
}
