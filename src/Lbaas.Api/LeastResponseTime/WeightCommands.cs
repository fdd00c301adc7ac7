using Lbaas.HaProxy.Sockets;

namespace Lbaas.Api.LeastResponseTime;

/// <summary>
/// Sends the weight changes the controller asked for, all in one <c>;</c>-joined runtime call.
/// Only the reconciler calls it, between applies, so no <c>set weight</c> ever lands in a reload
/// window. Failures are logged, never thrown: the controller asks again after the next scrape.
/// </summary>
public sealed class WeightCommands(RuntimeSocketClient runtime, ILogger<WeightCommands> logger)
{
    public async Task SendAsync(IReadOnlyCollection<WeightChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }
        var commands = changes.ToDictionary(c => RuntimeCommands.SetWeight(c.LoadBalancerId, c.BackendId, c.To));
        IReadOnlyList<RuntimeReply> refused = [];
        try
        {
            await runtime.ExecuteCheckedAsync(commands.Keys, ct);
        }
        catch (RuntimeCommandException e)
        {
            // HAProxy goes on after a refused command (a server deleted meanwhile): the others did run.
            refused = e.Failures;
            logger.LogWarning("HAProxy refused {Count} weight changes; they are tried again after the next scrape: {Reason}", e.Failures.Count, e.Message);
        }
        catch (Exception e) when (HaProxyErrors.IsUnreachable(e))
        {
            logger.LogWarning("Weight changes not sent ({Reason}); they are tried again after the next scrape", e.Message);
            return;
        }
        foreach (var (_, change) in commands.Where(c => refused.All(r => r.Command != c.Key)))
        {
            Log(change);
        }
    }

    private void Log(WeightChange change)
    {
        switch (change.Cause)
        {
            case WeightCause.ResponseTime:
                logger.LogInformation(
                    "Weight of {Backend} in {LoadBalancer} set to {Weight} of {Full} (was {Previous}): response time {AverageMs:F1} ms, fastest {FastestMs:F1} ms",
                    change.Label, change.LoadBalancerName, change.To, change.Full, change.From, change.AverageMs, change.FastestMs);
                break;
            case WeightCause.NoRecentSamples:
                logger.LogInformation(
                    "Weight of {Backend} in {LoadBalancer} set to {Weight} of {Full} (was {Previous}): no recent response times, returning to full weight",
                    change.Label, change.LoadBalancerName, change.To, change.Full, change.From);
                break;
            default:
                logger.LogInformation(
                    "Weight of {Backend} in {LoadBalancer} restored to its configured {Weight} (was {Previous}): the load balancer is not least_response_time over HTTP any more",
                    change.Label, change.LoadBalancerName, change.To, change.From);
                break;
        }
    }
}
