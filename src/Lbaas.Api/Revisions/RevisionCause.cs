namespace Lbaas.Api.Revisions;

/// <summary>Why a revision is recorded: what was done, by whom, from where.</summary>
/// <param name="Action">What was done: one of <see cref="RevisionActions"/>, or a component's own such as <c>rollout</c>.</param>
/// <param name="Actor">Who asked, as the client said (<c>X-Lbaas-Actor</c>); null when it did not say.</param>
/// <param name="Source">The request's remote address, or the name of the component that made the change.</param>
/// <param name="Note">A line shown before the differences, e.g. <c>rolled back to 12</c>.</param>
public sealed record RevisionCause(string Action, string? Actor, string? Source, string? Note = null)
{
    /// <summary>A change asked for by <paramref name="http"/>; its X-Lbaas-Actor was validated by <see cref="ActorHeaderFilter"/>.</summary>
    public static RevisionCause Of(HttpContext http, string action, string? note = null) =>
        new(action, ActorHeader.Read(http.Request), SourceOf(http.Connection.RemoteIpAddress), note);

    private static string? SourceOf(System.Net.IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
