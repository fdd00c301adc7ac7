using System.Reflection;
using System.Text.Json.Serialization;

namespace Lbaas.Api.Monitoring;

/// <summary>Status enums as the API spells them ("ONLINE", "NO_CHECK"), for text kept in the transition history.</summary>
public static class StatusNames
{
    public static string Of<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString();
}
