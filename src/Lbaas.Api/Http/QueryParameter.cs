namespace Lbaas.Api.Http;

/// <summary>
/// A query parameter an endpoint reads. Endpoints list theirs with <see cref="QueryParameterExtensions.WithQuery{TBuilder}"/>;
/// <see cref="QueryStringGuard"/> refuses any other, and the OpenAPI document describes them from the same list.
/// </summary>
/// <param name="Name">The parameter, as written in the URL.</param>
/// <param name="Description">What it does, for the OpenAPI document.</param>
/// <param name="Values">The only values allowed (compared without regard to case), or null when the handler checks the value itself.</param>
/// <param name="Repeatable">Whether it may appear more than once (a label selector may; wait=true&amp;wait=false may not).</param>
public sealed record QueryParameter(string Name, string Description, IReadOnlyList<string>? Values = null, bool Repeatable = false);

/// <summary>The query parameters one endpoint accepts; endpoint metadata, one or more per endpoint.</summary>
public sealed class QueryParameters(IReadOnlyList<QueryParameter> accepted)
{
    public IReadOnlyList<QueryParameter> Accepted { get; } = accepted;
}

public static class QueryParameterExtensions
{
    /// <summary>Declares the query parameters the endpoint (or every endpoint of a group) reads; any other is 400.</summary>
    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, params QueryParameter[] accepted) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryParameters(accepted));
}
