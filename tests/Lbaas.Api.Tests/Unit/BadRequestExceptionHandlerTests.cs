using System.Text.Json.Nodes;
using Lbaas.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Lbaas.Api.Tests.Unit;

/// <summary>What the exception handler answers for failures beneath a write, by what PostgreSQL said.</summary>
public sealed class BadRequestExceptionHandlerTests
{
    private static async Task<(bool Handled, HttpContext Http, JsonNode? Body)> HandleAsync(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Response.Body = new MemoryStream();
        var handler = new BadRequestExceptionHandler(services.GetRequiredService<IProblemDetailsService>(), NullLogger<BadRequestExceptionHandler>.Instance);
        var handled = await handler.TryHandleAsync(http, exception, CancellationToken.None);
        http.Response.Body.Position = 0;
        var text = await new StreamReader(http.Response.Body).ReadToEndAsync();
        return (handled, http, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static DbUpdateException Failed(string sqlState) => new("save", new PostgresException("test", "ERROR", "ERROR", sqlState));

    [Theory]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    public async Task TryHandleAsync_StillCollidingAfterRetries_Is503WriteConflictNothingChanged(string sqlState)
    {
        var (handled, http, body) = await HandleAsync(Failed(sqlState));

        Assert.True(handled);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("Write conflict", (string?)body?["title"]);
        Assert.Contains("nothing was changed", (string?)body?["detail"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(http.Response.Headers.RetryAfter));
    }

    [Fact]
    public async Task TryHandleAsync_OtherSqlError_IsLeftToTheFrameworkAs500()
    {
        var (handled, _, _) = await HandleAsync(Failed(PostgresErrorCodes.UndefinedColumn));

        Assert.False(handled);
    }
}
