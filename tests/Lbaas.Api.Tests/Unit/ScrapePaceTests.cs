using Lbaas.Api.Monitoring;
using Microsoft.Extensions.Time.Testing;

namespace Lbaas.Api.Tests.Unit;

/// <summary>The scraper's interval on fake time: the normal pause, a hurry request, and the short interval while someone waits.</summary>
public sealed class ScrapePaceTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    private readonly MonitoringOptions options = new() { ScrapeInterval = TimeSpan.FromSeconds(2), WaitScrapeInterval = TimeSpan.FromMilliseconds(250) };
    private readonly MonitoringState state = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Quiet_WaitsTheScrapeInterval()
    {
        var started = time.GetUtcNow();

        await time.AdvanceUntilAsync(StatsScraper.WaitForNextScrapeAsync(state, options, time, CancellationToken.None), Step, Max);

        Assert.InRange(time.GetUtcNow() - started, options.ScrapeInterval, options.ScrapeInterval + Step * 5);
    }

    [Fact]
    public async Task HurryDuringThePause_EndsItAfterOneShortInterval()
    {
        var started = time.GetUtcNow();
        var wait = StatsScraper.WaitForNextScrapeAsync(state, options, time, CancellationToken.None);
        await time.AdvanceByAsync(TimeSpan.FromMilliseconds(500), Step);

        using (state.Hurry())
        {
            await time.AdvanceUntilAsync(wait, Step, Max);
        }

        var waited = time.GetUtcNow() - started;
        Assert.InRange(waited, TimeSpan.FromMilliseconds(500) + options.WaitScrapeInterval, options.ScrapeInterval - Step);
    }

    [Fact]
    public async Task WhileHurrying_TheIntervalIsTheShortOne()
    {
        using var hurry = state.Hurry();
        // The hurry's own wake-up was taken by an earlier pause.
        state.WakeUp.TryTake();
        var started = time.GetUtcNow();

        await time.AdvanceUntilAsync(StatsScraper.WaitForNextScrapeAsync(state, options, time, CancellationToken.None), Step, Max);

        Assert.InRange(time.GetUtcNow() - started, options.WaitScrapeInterval, options.WaitScrapeInterval + Step * 5);
    }
}
