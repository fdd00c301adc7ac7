using Lbaas.Api.Monitoring;
using Microsoft.Extensions.Time.Testing;

namespace Lbaas.Api.Tests.Unit;

/// <summary>The scraper's interval on fake time: the normal pause, a hurry request, and the short interval while someone waits.</summary>
public sealed class ScrapePaceTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    private readonly MonitoringOptions _options = new() { ScrapeInterval = TimeSpan.FromSeconds(2), WaitScrapeInterval = TimeSpan.FromMilliseconds(250) };
    private readonly MonitoringState _state = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Quiet_WaitsTheScrapeInterval()
    {
        var started = _time.GetUtcNow();

        await _time.AdvanceUntilAsync(StatsScraper.WaitForNextScrapeAsync(_state, _options, _time, CancellationToken.None), Step, Max);

        // The clock may run a few steps past the end before the finished wait is seen (a loaded
        // machine): the upper bound only has to tell the interval from a longer one.
        Assert.InRange(_time.GetUtcNow() - started, _options.ScrapeInterval, _options.ScrapeInterval + _options.WaitScrapeInterval);
    }

    [Fact]
    public async Task HurryDuringThePause_EndsItAfterOneShortInterval()
    {
        var started = _time.GetUtcNow();
        var wait = StatsScraper.WaitForNextScrapeAsync(_state, _options, _time, CancellationToken.None);
        await _time.AdvanceByAsync(TimeSpan.FromMilliseconds(500), Step);

        using (_state.Hurry())
        {
            await _time.AdvanceUntilAsync(wait, Step, Max);
        }

        var waited = _time.GetUtcNow() - started;
        Assert.InRange(waited, TimeSpan.FromMilliseconds(500) + _options.WaitScrapeInterval, _options.ScrapeInterval - Step);
    }

    [Fact]
    public async Task WhileHurrying_TheIntervalIsTheShortOne()
    {
        using var hurry = _state.Hurry();
        // The hurry's own wake-up was taken by an earlier pause.
        _state.WakeUp.TryTake();
        var started = _time.GetUtcNow();

        await _time.AdvanceUntilAsync(StatsScraper.WaitForNextScrapeAsync(_state, _options, _time, CancellationToken.None), Step, Max);

        // Short of the normal interval, whatever the steps the clock ran on before the end was seen.
        Assert.InRange(_time.GetUtcNow() - started, _options.WaitScrapeInterval, _options.ScrapeInterval - Step);
    }
}
