using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Lbaas.Api.Tests.Infrastructure;

/// <summary>
/// Cuts the API's database connections (a <see cref="TcpProxy"/> stop) at one moment of a request's
/// commit, for requests carrying <see cref="Header"/>: <c>committing</c> cuts just before COMMIT is
/// sent (the connection is lost during COMMIT), <c>committed</c> right after it succeeded (the
/// write's wait for HAProxy and its read of the result then fail). Background services commit
/// without a request and are never cut here.
/// </summary>
public sealed class CommitCut(TcpProxy proxy) : DbTransactionInterceptor
{
    public const string Header = "X-Test-Cut";
    private readonly HttpContextAccessor _http = new();

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        CutIf("committing");
        return ValueTask.FromResult(result);
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        CutIf("committed");
        return Task.CompletedTask;
    }

    private void CutIf(string moment)
    {
        if (_http.HttpContext?.Request.Headers[Header].ToString() == moment)
        {
            proxy.Stop();
        }
    }
}
