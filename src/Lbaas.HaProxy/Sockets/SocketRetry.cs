using Polly;
using Polly.Retry;

namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// The resilience pipelines for HAProxy's sockets. Every command retries
/// <see cref="HaProxyUnavailableException"/> (nothing was sent); only a command that is harmless
/// to repeat ("show ...", "get ...") also retries <see cref="HaProxyConnectionLostException"/>:
/// a repeated "reload" or "add server" is not harmless.
/// </summary>
internal static class SocketRetry
{
    public static ResiliencePipeline Create(int maxRetries, TimeSpan firstDelay, TimeSpan maxDelay, TimeProvider? timeProvider, bool idempotent)
    {
        var builder = new ResiliencePipelineBuilder();
        if (timeProvider is not null)
        {
            builder.TimeProvider = timeProvider;
        }
        if (maxRetries <= 0)
        {
            return builder.Build();
        }
        return builder
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = idempotent
                    ? new PredicateBuilder().Handle<HaProxyUnavailableException>().Handle<HaProxyConnectionLostException>()
                    : new PredicateBuilder().Handle<HaProxyUnavailableException>(),
                MaxRetryAttempts = maxRetries,
                Delay = firstDelay,
                MaxDelay = maxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }
}
