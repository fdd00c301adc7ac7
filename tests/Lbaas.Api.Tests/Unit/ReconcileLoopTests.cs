using System.Threading.Channels;
using Lbaas.Api.LeastResponseTime;
using Lbaas.Api.Reconciliation;
using Microsoft.Extensions.Time.Testing;

namespace Lbaas.Api.Tests.Unit;

/// <summary>The reconciler's pacing on fake time: debounce, tick, drain poll, weights between applies, retry after a failure.</summary>
public sealed class ReconcileLoopTests : IAsyncDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    private readonly ApplyOptions _options = new()
    {
        Debounce = TimeSpan.FromMilliseconds(20),
        Tick = TimeSpan.FromSeconds(15),
        DrainPoll = TimeSpan.FromMilliseconds(200),
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
    private readonly ApplyCoordinator _coordinator = new();
    private readonly Channel<DateTimeOffset> _applies = Channel.CreateUnbounded<DateTimeOffset>();
    private readonly Channel<(DateTimeOffset At, int Count)> _sent = Channel.CreateUnbounded<(DateTimeOffset, int)>();
    private readonly List<Exception> _failures = [];
    private readonly CancellationTokenSource _stop = new();
    private Func<Task<bool>> _applyBody = () => Task.FromResult(false);
    private Task? _running;

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public async Task Start_ConvergesOnceAfterTheDebounce()
    {
        var started = Now;
        Start();

        var at = await NextApplyAsync();

        Assert.True(at >= started + _options.Debounce, $"applied {(at - started).TotalMilliseconds} ms after the start");
        await _time.AdvanceByAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
        Assert.False(_applies.Reader.TryRead(out _), "a second apply without a request or the tick");
    }

    [Fact]
    public async Task Burst_OfRequests_IsOneApplyAfterTheDebounce()
    {
        Start();
        await NextApplyAsync();

        var requested = Now;
        for (var i = 0; i < 5; i++)
        {
            _coordinator.RequestApply();
        }
        var at = await NextApplyAsync();

        Assert.True(at >= requested + _options.Debounce, $"applied {(at - requested).TotalMilliseconds} ms after the burst");
        await _time.AdvanceByAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
        Assert.False(_applies.Reader.TryRead(out _), "the burst cost more than one apply");
    }

    [Fact]
    public async Task NothingRequested_AppliesAgainAtTheTick()
    {
        Start();
        var first = await NextApplyAsync();

        var next = await _time.AdvanceUntilAsync(_applies.Reader.ReadAsync().AsTask(), TimeSpan.FromMilliseconds(100), Max);

        Assert.InRange(next - first, _options.Tick, _options.Tick + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task BackendsDraining_LookAgainAtTheDrainPollNotTheTick()
    {
        _applyBody = () => Task.FromResult(true);
        Start();
        var first = await NextApplyAsync();

        var next = await NextApplyAsync();

        // Well short of the tick; the slack is for a loaded machine, where the clock may run on a few steps before the apply is seen.
        Assert.InRange(next - first, _options.DrainPoll, _options.DrainPoll + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task WeightsAlone_AreSentWithoutAnApply()
    {
        Start();
        await NextApplyAsync();

        _coordinator.RequestWeights([Change(backendId: 1, to: 5), Change(backendId: 2, to: 6)]);
        var (_, count) = await NextSentAsync();

        Assert.Equal(2, count);
        Assert.False(_applies.Reader.TryRead(out _), "weights alone caused an apply");
    }

    [Fact]
    public async Task Weights_RequestedDuringAnApply_WaitForItAndTheLatestPerServerWins()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _applyBody = async () =>
        {
            await gate.Task;
            return false;
        };
        Start();
        await NextApplyAsync();

        _coordinator.RequestWeights([Change(backendId: 1, to: 5)]);
        _coordinator.RequestWeights([Change(backendId: 1, to: 9)]);
        await _time.AdvanceByAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
        Assert.False(_sent.Reader.TryRead(out _), "weights went out while the apply ran");

        gate.SetResult();
        var (_, count) = await NextSentAsync();
        Assert.Equal(1, count);
        Assert.Empty(_coordinator.TakeWeights());
    }

    [Fact]
    public async Task ApplyThrows_IsRecordedAndTriedAgainAfterASecond()
    {
        var calls = 0;
        _applyBody = () => ++calls == 1 ? throw new InvalidOperationException("boom") : Task.FromResult(false);
        Start();
        var first = await NextApplyAsync();

        var second = await NextApplyAsync();

        Assert.Equal("boom", Assert.Single(_failures).Message);
        Assert.InRange(second - first, ReconcileLoop.RetryAfterFailure, ReconcileLoop.RetryAfterFailure + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Applied_FiresAfterEveryApply()
    {
        Start();
        await NextApplyAsync();
        var pulse = _coordinator.Applied.Next();

        _coordinator.RequestApply();
        await _time.AdvanceUntilAsync(pulse, Step, Max);

        Assert.True(pulse.IsCompletedSuccessfully);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null)
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        _stop.Dispose();
    }

    private static WeightChange Change(long backendId, int to) => new(7, "lb", backendId, $"b{backendId}", 1, to, 16, WeightCause.ResponseTime);

    private void Start()
    {
        var loop = new ReconcileLoop(_coordinator, _options, _time,
            async _ =>
            {
                _applies.Writer.TryWrite(Now);
                return await _applyBody();
            },
            (changes, _) =>
            {
                if (changes.Count > 0)
                {
                    _sent.Writer.TryWrite((Now, changes.Count));
                }
                return Task.CompletedTask;
            },
            _failures.Add);
        _running = Task.Run(() => loop.RunAsync(_stop.Token));
    }

    private Task<DateTimeOffset> NextApplyAsync() => _time.AdvanceUntilAsync(_applies.Reader.ReadAsync().AsTask(), Step, Max);

    private Task<(DateTimeOffset At, int Count)> NextSentAsync() => _time.AdvanceUntilAsync(_sent.Reader.ReadAsync().AsTask(), Step, Max);
}
