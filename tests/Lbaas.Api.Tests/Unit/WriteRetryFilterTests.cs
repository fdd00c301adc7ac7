using Lbaas.Api.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Lbaas.Api.Tests.Unit;

public sealed class WriteRetryFilterTests
{
    private static readonly LbaasDb Db = new(new DbContextOptionsBuilder<LbaasDb>().UseNpgsql("Host=127.0.0.1;Database=unused").Options);

    private static PostgresException Pg(string sqlState) => new("test", "ERROR", "ERROR", sqlState);

    private static async Task<(object? Result, int Calls, Exception? Error)> RunAsync(Func<int, object?> attempt, Action<HttpContext>? before = null)
    {
        var http = new DefaultHttpContext();
        before?.Invoke(http);
        var calls = 0;
        var filter = new WriteRetryFilter(Db, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<WriteRetryFilter>.Instance);
        try
        {
            var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ => ValueTask.FromResult(attempt(++calls)));
            return (result, calls, null);
        }
        catch (Exception e)
        {
            return (null, calls, e);
        }
    }

    [Theory]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    public async Task InvokeAsync_DeadlockOrSerializationFailureBeforeCommit_RunsTheWriteAgain(string sqlState)
    {
        var (result, calls, error) = await RunAsync(call => call == 1 ? throw new DbUpdateException("save", Pg(sqlState)) : "written");
        Assert.Null(error);
        Assert.Equal("written", result);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task InvokeAsync_KeepsFailing_GivesUpAfterFourAttempts()
    {
        var (_, calls, error) = await RunAsync(_ => throw Pg(PostgresErrorCodes.DeadlockDetected));
        Assert.IsType<PostgresException>(error);
        Assert.Equal(4, calls);
    }

    [Fact]
    public async Task InvokeAsync_OtherDatabaseError_IsNotRetried()
    {
        var (_, calls, error) = await RunAsync(_ => throw Pg(PostgresErrorCodes.UniqueViolation));
        Assert.IsType<PostgresException>(error);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task InvokeAsync_FailureAfterCommit_IsNotRetried_Answers202WithTheWrittenResourceAndETag()
    {
        HttpContext? seen = null;
        var written = new { id = 1 };
        var (result, calls, error) = await RunAsync(
            _ => throw Pg(PostgresErrorCodes.DeadlockDetected),
            http =>
            {
                seen = http;
                WriteOutcome.Of(http).Committed("/api/v1/loadbalancer/1", written, "\"7\"");
            });
        Assert.Null(error);
        Assert.Equal(1, calls);
        var accepted = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Accepted<object>>(result);
        Assert.Equal("/api/v1/loadbalancer/1", accepted.Location);
        Assert.Same(written, accepted.Value);
        Assert.Equal("\"7\"", seen!.Response.Headers.ETag.ToString());
    }

    [Fact]
    public async Task InvokeAsync_CancelledAfterCommit_IsNotTurnedInto202()
    {
        var (_, calls, error) = await RunAsync(
            _ => throw new OperationCanceledException(),
            http => WriteOutcome.Of(http).Committed("/api/v1/loadbalancer/1", new { id = 1 }, "\"7\""));
        Assert.IsType<OperationCanceledException>(error);
        Assert.Equal(1, calls);
    }
}
