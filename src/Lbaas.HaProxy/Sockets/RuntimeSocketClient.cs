using Lbaas.HaProxy.Stats;
using Lbaas.HaProxy.Writing;
using Polly;

namespace Lbaas.HaProxy.Sockets;

/// <summary>
/// The worker's admin stats socket (runtime API). Commands go ';'-joined on as few connections as
/// the reply framing allows (150 commands on one connection took 8.6 ms, 100 connections 378 ms),
/// and every reply is checked. Never use it while a reload is in flight: commands sent in that
/// window were lost every time it was measured.
/// </summary>
public sealed class RuntimeSocketClient
{
    private static readonly string[] QueryVerbs = ["show", "get", "help"];

    private readonly RuntimeSocketOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _connectRetry;
    private readonly ResiliencePipeline _idempotentRetry;

    public RuntimeSocketClient(RuntimeSocketOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.SocketPath);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _connectRetry = SocketRetry.Create(options.ConnectRetries, options.FirstRetryDelay, options.MaxRetryDelay, timeProvider, idempotent: false);
        _idempotentRetry = SocketRetry.Create(options.ConnectRetries, options.FirstRetryDelay, options.MaxRetryDelay, timeProvider, idempotent: true);
    }

    /// <summary>
    /// Runs the commands in order and returns one reply per command. HAProxy goes on after a
    /// refused command, and so does this: look at <see cref="RuntimeReply.IsError"/>, or use
    /// <see cref="ExecuteCheckedAsync"/>.
    /// </summary>
    /// <exception cref="HaProxyConnectionLostException">
    /// A connection carrying changes was dropped: which of them ran is unknown, so the caller
    /// should fall back to a reload of the file, which is the truth.
    /// </exception>
    public async Task<IReadOnlyList<RuntimeReply>> ExecuteAsync(IEnumerable<string> commands, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var list = commands.ToList();
        list.ForEach(CommandLine.ThrowIfUnsafe);
        var replies = new List<RuntimeReply>(list.Count);
        foreach (var batch in RuntimeReplyFraming.Batch(list, _options.MaxLineLength))
        {
            var line = string.Join(';', batch);
            // A batch of queries can be sent again if HAProxy drops it; a change cannot.
            var retry = batch.All(c => QueryVerbs.Contains(c.Split(' ', 2)[0], StringComparer.Ordinal)) ? _idempotentRetry : _connectRetry;
            var output = await retry.ExecuteAsync(
                async token => await UnixSocketExchange.SendAsync(_options.SocketPath, line, _options.CommandTimeout, _time, endOnReset: false, token),
                cancellationToken);
            var texts = RuntimeReplyFraming.Split(batch, output);
            replies.AddRange(batch.Select((command, i) => new RuntimeReply(command, texts[i], RuntimeReplyClassifier.IsError(command, texts[i]))));
        }
        return replies;
    }

    public async Task<RuntimeReply> ExecuteAsync(string command, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync([command], cancellationToken))[0];

    /// <summary>Like <see cref="ExecuteAsync(IEnumerable{string}, CancellationToken)"/>, but throws when any reply is an error.</summary>
    /// <exception cref="RuntimeCommandException">With every refused command and HAProxy's reply.</exception>
    public async Task<IReadOnlyList<RuntimeReply>> ExecuteCheckedAsync(IEnumerable<string> commands, CancellationToken cancellationToken = default)
    {
        var replies = await ExecuteAsync(commands, cancellationToken);
        var failures = replies.Where(r => r.IsError).ToList();
        return failures.Count == 0 ? replies : throw new RuntimeCommandException(failures);
    }

    /// <summary><c>show stat</c>, parsed. Counters restart at zero with every reload.</summary>
    public async Task<IReadOnlyList<StatRow>> ShowStatAsync(CancellationToken cancellationToken = default) =>
        ShowStatParser.Parse(await QueryAsync("show stat", cancellationToken));

    /// <summary><c>show info</c>, parsed: the worker's pid tells whether counters restarted.</summary>
    public async Task<ProcessInfo> ShowInfoAsync(CancellationToken cancellationToken = default) =>
        ShowInfoParser.Parse(await QueryAsync("show info", cancellationToken));

    /// <summary><c>show servers state</c> as HAProxy prints it: the format its server-state-file reads back.</summary>
    public Task<string> ShowServersStateAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("show servers state", cancellationToken);

    /// <summary>Dumps <c>show servers state</c> atomically to the server-state file, just before a reload.</summary>
    public async Task SaveServersStateAsync(string path, CancellationToken cancellationToken = default)
    {
        var state = await ShowServersStateAsync(cancellationToken);
        await AtomicFile.WriteAllTextAsync(path, state + "\n", cancellationToken);
    }

    private async Task<string> QueryAsync(string command, CancellationToken cancellationToken)
    {
        var reply = await ExecuteAsync(command, cancellationToken);
        return reply.IsError ? throw new RuntimeCommandException([reply]) : reply.Text;
    }
}
