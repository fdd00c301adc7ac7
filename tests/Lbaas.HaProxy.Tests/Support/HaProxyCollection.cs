using Lbaas.HaProxy.Tests.Applying;

namespace Lbaas.HaProxy.Tests.Support;

/// <summary>
/// Tests that start a real HAProxy run one class at a time: reload timings on a 2-core machine
/// are measured in tens of milliseconds and should not compete with each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HaProxyCollection : ICollectionFixture<ApplierFixture>
{
    public const string Name = "real haproxy";
}
