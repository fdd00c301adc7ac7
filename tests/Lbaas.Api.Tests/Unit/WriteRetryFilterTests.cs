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
        var filter = new WriteRetryFilter(Db, TimeProvider.System);
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
    public async Task InvokeAsync_FailureAfterCommit_IsNotRetried()
    {
        var (_, calls, error) = await RunAsync(
            _ => throw Pg(PostgresErrorCodes.DeadlockDetected),
            http => WriteOutcome.Of(http).Committed("/api/v1/loadbalancer/1", new { id = 1 }));
        Assert.IsType<PostgresException>(error);
        Assert.Equal(1, calls);
    }
}
