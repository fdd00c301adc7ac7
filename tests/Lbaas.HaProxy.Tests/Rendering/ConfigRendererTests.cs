using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Validation;

namespace Lbaas.HaProxy.Tests.Rendering;

public sealed class ConfigRendererTests
{
    private readonly ConfigRenderer _renderer = new();

    [Fact]
    public void Render_ShuffledLists_GivesIdenticalText()
    {
        var model = Samples.HttpFull() with { LoadBalancers = [Samples.Lb(3, 10003), Samples.HttpFull().LoadBalancers[0], Samples.Lb(1, 10001)] };
        var shuffled = model with
        {
            LoadBalancers = model.LoadBalancers
                .Reverse()
                .Select(lb => lb with { Servers = lb.Servers.Reverse().ToList() })
                .ToList(),
        };

        Assert.Equal(_renderer.Render(model), _renderer.Render(shuffled));
    }

    [Fact]
    public async Task Render_FromManyThreadsAtOnce_GivesTheSameText()
    {
        // The preview endpoint renders on request threads while the reconciler renders too.
        var expected = _renderer.Render(Samples.HttpFull());

        var texts = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => _renderer.Render(Samples.HttpFull()))));

        Assert.All(texts, text => Assert.Equal(expected, text));
    }

    [Fact]
    public void Render_AnyModel_IsTidy()
    {
        foreach (var model in Samples.All.Values)
        {
            var text = _renderer.Render(model);

            Assert.DoesNotContain("\n\n\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain(" \n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
            Assert.False(text.StartsWith('\n'));
            Assert.EndsWith("\n", text, StringComparison.Ordinal);
            Assert.False(text.EndsWith("\n\n", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Render_Names_ComeFromIdsOnly()
    {
        var text = _renderer.Render(Samples.HttpFull());

        Assert.Contains("frontend lb_42\n", text, StringComparison.Ordinal);
        Assert.Contains("backend lb_42\n", text, StringComparison.Ordinal);
        Assert.Contains("    server b_7 127.0.0.1:9001 weight 1 check inter 5s fall 2 rise 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DrainingServer_HasWeightZeroAndKeepsItsChecks()
    {
        var text = _renderer.Render(Samples.HttpFull());

        Assert.Contains("    server b_11 127.0.0.1:9003 weight 0 check inter 5s fall 2 rise 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ThousandLoadBalancersOfTenServers_IsCompleteAndAccepted()
    {
        // Scriban's default limits (1,000 loop iterations, 1 MiB of output) would cut this short.
        var model = new ConfigModel
        {
            Global = Samples.Global,
            LoadBalancers = Enumerable.Range(1, 1_000).Select(i => Samples.Lb(i, 20_000 + i) with
            {
                Servers = Enumerable.Range(1, 10).Select(s => Models.Server(i * 100L + s, 8000 + s, host: "10.1.2.3")).ToList(),
            }).ToList(),
        };

        var text = _renderer.Render(model);

        Assert.Equal(10_000, text.Split('\n').Count(l => l.StartsWith("    server b_", StringComparison.Ordinal)));
        Assert.EndsWith("    server b_100010 10.1.2.3:8010 weight 1 check inter 2s fall 3 rise 2\n", text, StringComparison.Ordinal);
        var check = await new HaProxyValidator(new HaProxyValidatorOptions { BinaryPath = HaProxyBinary.Require() }).ValidateTextAsync(text);
        Assert.True(check.IsValid, check.Message);
    }

    [Fact]
    public void Render_SourceIp_UsesConsistentHashingSoServersCanBeAddedAtRuntime()
    {
        var model = new ConfigModel { Global = Samples.Global, LoadBalancers = [Samples.Lb(1, 10001) with { Algorithm = BalanceAlgorithm.SourceIp }] };

        Assert.Contains("    balance source\n    hash-type consistent\n", _renderer.Render(model), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BalanceAlgorithm.RoundRobin, "roundrobin")]
    [InlineData(BalanceAlgorithm.WeightedRoundRobin, "roundrobin")]
    [InlineData(BalanceAlgorithm.LeastConnections, "leastconn")]
    [InlineData(BalanceAlgorithm.SourceIp, "source")]
    [InlineData(BalanceAlgorithm.Random, "random")]
    [InlineData(BalanceAlgorithm.LeastResponseTime, "leastconn")]
    public void Render_Algorithm_MapsToDynamicBalance(BalanceAlgorithm algorithm, string balance)
    {
        var model = new ConfigModel { Global = Samples.Global, LoadBalancers = [Samples.Lb(1, 10001) with { Algorithm = algorithm }] };

        Assert.Contains($"    balance {balance}\n", _renderer.Render(model), StringComparison.Ordinal);
    }
}
