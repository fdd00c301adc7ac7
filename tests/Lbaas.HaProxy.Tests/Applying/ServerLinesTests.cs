using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;
using Lbaas.HaProxy.Sockets;
using Lbaas.HaProxy.Tests.Rendering;

namespace Lbaas.HaProxy.Tests.Applying;

/// <summary><c>add server</c> sends the line the template renders, or the change becomes a reload.</summary>
public sealed class ServerLinesTests
{
    /// <summary>Servers in every state, with checks and slow start, and one load balancer without checks.</summary>
    private static ConfigModel Model()
    {
        var full = Samples.HttpFull();
        var lb = full.LoadBalancers[0];
        var servers = lb.Servers.Where(s => Lbaas.HaProxy.Values.ConfigValueRules.IsIpLiteral(s.Host)).ToList();
        return full with
        {
            LoadBalancers =
            [
                lb with { Servers = servers, SlowStartMs = 10_000 },
                lb with { Id = 43, Port = 10081, HealthCheck = new HealthCheckModel { Enabled = false }, Servers = servers },
            ],
        };
    }

    private static IEnumerable<string> AddEveryServer(ConfigModel model) =>
        model.LoadBalancers.SelectMany(lb => lb.Servers.SelectMany(s => RuntimeCommands.AddServer(lb, s)));

    [Fact]
    public void Agree_BuiltInTemplates_EveryAddedServerGetsItsRenderedLine()
    {
        var model = Model();
        var text = new ConfigRenderer().Render(model);

        var commands = AddEveryServer(model).ToList();

        Assert.Contains(commands, c => c.Contains(" weight 0", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains(" backup", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Contains(" slowstart 10s", StringComparison.Ordinal));
        Assert.True(ServerLines.Agree(commands, text), string.Join("\n", commands) + "\n---\n" + text);
    }

    [Fact]
    public void Agree_OperatorTemplateWithAnotherServerKeyword_IsFalse()
    {
        using var directory = TemplateSetTests.CopyOfRepositoryTemplates();
        var template = directory.File("loadbalancer.scriban");
        File.WriteAllText(template, File.ReadAllText(template).Replace("weight {{ s.weight }}", "weight {{ s.weight }} maxconn 50", StringComparison.Ordinal));
        var model = Model();

        var text = new ConfigRenderer(new ConfigRendererOptions { TemplatesDirectory = directory.Path }).Render(model);

        Assert.Contains(" maxconn 50", text, StringComparison.Ordinal);
        Assert.False(ServerLines.Agree(AddEveryServer(model), text));
    }

    [Fact]
    public void Agree_ServerMissingFromTheText_IsFalse()
    {
        var model = Model();
        var text = new ConfigRenderer().Render(model with { LoadBalancers = [model.LoadBalancers[0] with { Servers = [] }, model.LoadBalancers[1]] });

        Assert.False(ServerLines.Agree(RuntimeCommands.AddServer(model.LoadBalancers[0], model.LoadBalancers[0].Servers[0]), text));
    }

    [Fact]
    public void Rendered_ReadsOnlyTheNamedBackendSection()
    {
        const string Text = "backend lb_1\n    server b_1 127.0.0.1:1 weight 1\n\nbackend lb_2\n    server b_1 127.0.0.1:2 weight 9 disabled init-addr last,libc,none\n";

        Assert.Equal(["127.0.0.1:2", "weight", "9"], ServerLines.Rendered(Text, "lb_2", "b_1"));
        Assert.Null(ServerLines.Rendered(Text, "lb_3", "b_1"));
    }
}
