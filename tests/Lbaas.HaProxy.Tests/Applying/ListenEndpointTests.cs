using System.Net;
using Lbaas.HaProxy.Applying;
using Lbaas.HaProxy.Config;
using Lbaas.HaProxy.Rendering;

namespace Lbaas.HaProxy.Tests.Applying;

public sealed class ListenEndpointTests
{
    [Fact]
    public void FromConfigText_EveryTcpBindSpelling_ReadsAddressAndPorts()
    {
        const string text = """
            global
                stats socket /run/admin.sock mode 600 level admin
            frontend a
                bind 127.0.0.1:8080
                bind [::1]:9000
                bind :80
                bind *:81-82 ssl crt /etc/x.pem
                bind ipv6@:83
                bind 10.0.0.1:84,10.0.0.2:85
                bind /run/x.sock
                bind unix@x.sock
                bind fd@3
                bind localhost:86
            """;

        var endpoints = ListenEndpoint.FromConfigText(text).Select(e => e.ToString());

        Assert.Equal(["127.0.0.1:8080", "[::1]:9000", "0.0.0.0:80", "0.0.0.0:81-82", "[::]:83", "10.0.0.1:84", "10.0.0.2:85"], endpoints);
    }

    [Fact]
    public void FromConfigText_RenderedConfiguration_FindsEveryFrontend()
    {
        var model = Models.Model(Models.Lb(1, 10080), Models.Lb(2, 10081) with { BindAddress = "::1" }) with { Stats = new StatsSettings { Port = 8404 } };

        var endpoints = ListenEndpoint.FromConfigText(new ConfigRenderer().Render(model)).Select(e => e.ToString()).Order(StringComparer.Ordinal);

        Assert.Equal(["127.0.0.1:10080", "127.0.0.1:8404", "[::1]:10081"], endpoints);
    }

    [Theory]
    [InlineData("127.0.0.1", 80, "127.0.0.1", 80, true)]
    [InlineData("127.0.0.1", 80, "127.0.0.1", 81, false)]
    [InlineData("127.0.0.1", 80, "127.0.0.2", 80, false)]
    [InlineData("0.0.0.0", 80, "127.0.0.1", 80, true)]
    [InlineData("127.0.0.1", 80, "0.0.0.0", 80, true)]
    [InlineData("0.0.0.0", 80, "::1", 80, false)]
    [InlineData("::", 80, "127.0.0.1", 80, true)]
    [InlineData("::", 80, "::1", 80, true)]
    [InlineData("::1", 80, "127.0.0.1", 80, false)]
    public void Overlaps_AddressesAndPorts_LikeTheKernelDecidesABind(string a, int portA, string b, int portB, bool expected)
    {
        var first = new ListenEndpoint(IPAddress.Parse(a), portA);
        var second = new ListenEndpoint(IPAddress.Parse(b), portB);

        Assert.Equal(expected, first.Overlaps(second));
        Assert.Equal(expected, second.Overlaps(first));
    }

    [Fact]
    public void Overlaps_PortInsideARange_True()
    {
        var range = new ListenEndpoint(IPAddress.Any, 8000, 8010);

        Assert.True(range.Overlaps(new ListenEndpoint(IPAddress.Loopback, 8005)));
        Assert.False(range.Overlaps(new ListenEndpoint(IPAddress.Loopback, 8011)));
    }
}
