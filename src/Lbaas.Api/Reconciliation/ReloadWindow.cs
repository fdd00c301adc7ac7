using Lbaas.Api.Monitoring;

namespace Lbaas.Api.Reconciliation;

/// <summary>
/// What the applier holds through every reload: the scraper paused (it reads the old worker's
/// counters first, and sends no runtime command into the reload window) and the reload marked in
/// <see cref="ApplyState"/>, so <see cref="HaProxyWatch"/> does not take the re-executing master's
/// refused connections for HAProxy being down.
/// </summary>
public static class ReloadWindow
{
    public static async Task<IAsyncDisposable?> OpenAsync(ApplyState state, StatsScraper scraper, CancellationToken ct)
    {
        var mark = state.BeginReload();
        try
        {
            return new Window(mark, await scraper.PauseForReloadAsync(ct));
        }
        catch
        {
            mark.Dispose();
            throw;
        }
    }

    private sealed class Window(IDisposable mark, IAsyncDisposable? lease) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            mark.Dispose();
            if (lease is not null)
            {
                await lease.DisposeAsync();
            }
        }
    }
}
