using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;

namespace Lbaas.HaProxy.Tests.Rendering;

public sealed class ReloadSafetySettingsTests
{
    private readonly ConfigRenderer _renderer = new();

    [Fact]
    public void Render_Defaults_SetIdleCloseHardStopAfterAndMaxconn()
    {
        var text = _renderer.Render(Samples.HttpFull() with { Global = Samples.Global with { HardStopAfterMs = 45_000, MaxConnections = 1234 } });

        Assert.Contains("    option idle-close-on-response\n", text, StringComparison.Ordinal);
        Assert.Contains("    hard-stop-after 45s\n", text, StringComparison.Ordinal);
        Assert.Contains("    maxconn 1234\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IdleCloseOff_LeavesTheOptionOut()
    {
        var text = _renderer.Render(Samples.HttpFull() with { Defaults = new DefaultsSettings { IdleCloseOnResponse = false } });

        Assert.DoesNotContain("    option idle-close-on-response", text, StringComparison.Ordinal);
    }
}
