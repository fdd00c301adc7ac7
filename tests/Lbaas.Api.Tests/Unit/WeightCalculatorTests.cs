using Lbaas.Api.LeastResponseTime;

namespace Lbaas.Api.Tests.Unit;

public sealed class WeightCalculatorTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private static ServerSample Server(long id, long? rtime, long requests = 100, long current = 1, int configured = 1, bool adjustable = true) =>
        new(id, $"b{id}", configured, current, adjustable, rtime, requests);

    private static PoolSample Pool(params ServerSample[] servers) => new(7, "lb", true, servers);

    /// <summary>One scrape; returns the weight each changed server is set to.</summary>
    private static Dictionary<long, int> Step(WeightCalculator weighting, PoolSample pool) =>
        weighting.Next([pool], Window).ToDictionary(c => c.BackendId, c => c.To);

    /// <summary>What HAProxy would then show: the pool with the changes applied.</summary>
    private static PoolSample Applied(PoolSample pool, Dictionary<long, int> changes) =>
        pool with { Servers = pool.Servers.Select(s => changes.TryGetValue(s.BackendId, out var w) ? s with { CurrentWeight = w } : s).ToList() };

    [Fact]
    public void Next_SlowerServer_GetsLowerWeight()
    {
        var changes = Step(new WeightCalculator(new ResponseTimeOptions()), Pool(Server(1, 20), Server(2, 70)));

        // Full weight is 1 × 16; the slow one gets 16 × (20 + 5) / (70 + 5) = 5.3.
        Assert.Equal(new Dictionary<long, int> { [1] = 16, [2] = 5 }, changes);
    }

    [Fact]
    public void Next_FirstScrape_OnlyObserves()
    {
        var changes = new WeightCalculator(new ResponseTimeOptions()).Next([Pool(Server(1, 20), Server(2, 70))], TimeSpan.Zero);

        Assert.Empty(changes);
    }

    [Fact]
    public void Next_MuchSlowerServer_StopsAtTheFloor()
    {
        var changes = Step(new WeightCalculator(new ResponseTimeOptions()), Pool(Server(1, 1), Server(2, 5000)));

        Assert.Equal(2, changes[2]); // 10 % of 16, rounded
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 1)]
    [InlineData(16, 3)]
    public void Next_FloorBelowOneUnit_NeverSetsWeightZero(int scale, int configured)
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions { Floor = 0.01, WeightScale = scale });

        var changes = weighting.Next([Pool(Server(1, 0, current: 200, configured: configured), Server(2, 10_000, current: 200, configured: configured))], Window);

        Assert.All(changes, c => Assert.InRange(c.To, 1, 256));
        Assert.Equal(1, changes.Single(c => c.BackendId == 2).To); // 1 % of at most 48
    }

    [Fact]
    public void Next_TooFewRequests_AreNoSample()
    {
        var changes = Step(new WeightCalculator(new ResponseTimeOptions { MinimumSamples = 10 }), Pool(Server(1, 20), Server(2, 70, requests: 9)));

        Assert.Equal(new Dictionary<long, int> { [1] = 16, [2] = 16 }, changes);
    }

    [Fact]
    public void Next_ConfiguredWeights_AreKeptInProportion()
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions());

        var even = Step(weighting, Pool(Server(1, 20, configured: 3), Server(2, 20, configured: 1)));
        var slowHeavy = Step(new WeightCalculator(new ResponseTimeOptions()), Pool(Server(1, 20, configured: 1), Server(2, 70, configured: 3)));

        Assert.Equal(new Dictionary<long, int> { [1] = 48, [2] = 16 }, even);
        // 3 × 16 × 25 / 75: the slow server configured 3 ends where a fast one configured 1 is.
        Assert.Equal(new Dictionary<long, int> { [1] = 16, [2] = 16 }, slowHeavy);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(20, 12)]
    [InlineData(100, 2)]
    [InlineData(256, 1)]
    public void Scale_LargestConfiguredWeight_FitsIn256(int largest, int scale)
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions());

        Assert.Equal(scale, weighting.Scale(Pool(Server(1, 20, configured: largest), Server(2, 20))));
    }

    [Fact]
    public void Next_TargetWithinHysteresis_SendsNothing()
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions { Smoothing = 1 });
        var pool = Pool(Server(1, 20, configured: 10), Server(2, 70, configured: 10));
        pool = Applied(pool, Step(weighting, pool)); // 160 and 53

        // 75 ms: 160 × 25 / 80 = 50, less than 10 % below 53.
        var changes = Step(weighting, pool with { Servers = [pool.Servers[0], pool.Servers[1] with { ResponseTimeMs = 75 }] });

        Assert.Equal(53, pool.Servers[1].CurrentWeight);
        Assert.Empty(changes);
    }

    [Fact]
    public void Next_TargetBetweenTwoWeights_DoesNotFlap()
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions { Smoothing = 1 });
        var pool = Pool(Server(1, 20), Server(2, 70));
        pool = Applied(pool, Step(weighting, pool)); // 5 (5.33)

        // rtime is whole milliseconds: 67 ms asks for 5.56 (6 rounded), 70 ms for 5.33 (5), back and forth.
        for (var i = 0; i < 10; i++)
        {
            var rtime = i % 2 == 0 ? 67 : 70;
            Assert.Empty(Step(weighting, pool with { Servers = [pool.Servers[0], pool.Servers[1] with { ResponseTimeMs = rtime }] }));
        }
    }

    [Fact]
    public void Next_ResponseTimesChange_FollowsThemSmoothly()
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions { Smoothing = 0.5 });
        var pool = Pool(Server(1, 20), Server(2, 20));
        pool = Applied(pool, Step(weighting, pool)); // both 16
        var slower = pool with { Servers = [pool.Servers[0], pool.Servers[1] with { ResponseTimeMs = 120 }] };

        var first = Step(weighting, slower);

        // Averaged: (20 + 120) / 2 = 70 ms, so 16 × 25 / 75 = 5, not the 3 that 120 ms alone gives.
        Assert.Equal(5, first[2]);
    }

    [Fact]
    public void Next_NoRecentSamples_DecaysBackToFullWeight()
    {
        var options = new ResponseTimeOptions { StaleAfter = TimeSpan.FromSeconds(10), DecayHalfLife = TimeSpan.FromSeconds(10) };
        var weighting = new WeightCalculator(options);
        var pool = Pool(Server(1, 20), Server(2, 70));
        pool = Applied(pool, Step(weighting, pool));
        var idle = pool with { Servers = pool.Servers.Select(s => s with { Requests = 0 }).ToList() };
        var weights = new List<long>();

        for (var i = 0; i < 60; i++) // two minutes
        {
            var changes = weighting.Next([idle], Window);
            Assert.All(changes, c => Assert.Equal(WeightCause.NoRecentSamples, c.Cause));
            idle = Applied(idle, changes.ToDictionary(c => c.BackendId, c => c.To));
            weights.Add(idle.Servers[1].CurrentWeight);
        }

        Assert.All(weights.Take(5), w => Assert.Equal(5, w)); // still recent for 10 s
        Assert.Equal(weights.Order(), weights); // only ever back up
        Assert.Equal(16, weights[^1]); // exactly full again, not stuck just below it
    }

    [Fact]
    public void Next_OperatorSetsWeight_StartsAgainFromIt()
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions { Smoothing = 0.3 });
        var pool = Pool(Server(1, 20), Server(2, 70));
        for (var i = 0; i < 5; i++)
        {
            pool = Applied(pool, Step(weighting, pool));
        }

        // The applier set the new configured weight 2; the server is now as fast as the other.
        var changes = Step(weighting, Pool(pool.Servers[0], Server(2, 20, current: 2, configured: 2)));

        // The old 70 ms average is forgotten (blended with it, 55 ms would give weight 13): full weight, 2 × 16.
        Assert.Equal(32, changes[2]);
    }

    [Fact]
    public void Next_ServerNotAdjustable_IsLeftAlone()
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions());

        var changes = Step(weighting, Pool(Server(1, 20), Server(2, 70), Server(3, 5, current: 1, adjustable: false)));

        Assert.False(changes.ContainsKey(3));
        // The one not taking traffic is not the reference either: the fastest serving one is.
        Assert.Equal(16, changes[1]);
    }

    [Fact]
    public void Next_PoolNoLongerManaged_RestoresConfiguredWeightsThenForgets()
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions());
        var pool = Pool(Server(1, 20), Server(2, 70));
        var unmanaged = Applied(pool, Step(weighting, pool)) with { Managed = false };

        var restore = weighting.Next([unmanaged], Window);
        var restored = Applied(unmanaged, restore.ToDictionary(c => c.BackendId, c => c.To));

        Assert.Equal([(1L, 1), (2L, 1)], restore.Select(c => (c.BackendId, c.To)));
        Assert.All(restore, c => Assert.Equal(WeightCause.NotManaged, c.Cause));
        Assert.Empty(weighting.Next([restored], Window));
        // Weights set later on a pool that is not managed are not this controller's.
        Assert.Empty(weighting.Next([restored with { Servers = restored.Servers.Select(s => s with { CurrentWeight = 7 }).ToList() }], Window));
    }

    [Fact]
    public void Next_UnmanagedPoolNeverManaged_IsNotTouched()
    {
        var weighting = new WeightCalculator(new ResponseTimeOptions());

        Assert.Empty(weighting.Next([Pool(Server(1, 20, current: 5), Server(2, 70, current: 9)) with { Managed = false }], Window));
    }
}
