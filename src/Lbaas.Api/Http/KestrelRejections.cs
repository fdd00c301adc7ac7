using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Lbaas.Api.Http;

/// <summary>
/// Kestrel refuses what it cannot parse (a malformed request line, header syntax, a missing or bad
/// Host, a request line over 8 KiB: 414, headers over 32 KiB or 100 fields: 431) by itself, before
/// any middleware, with an empty body, and closes the connection. This connection middleware turns
/// exactly those answers into problem+json: a response that starts a flush, is a 4xx, has
/// <c>Content-Length: 0</c>, <c>Connection: close</c> and no <c>Content-Type</c>. The application
/// never sends such a response: its errors always carry a problem body.
/// </summary>
public static class KestrelRejections
{
    public static void Use(ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            connection.Transport = new Pipe(connection.Transport);
            return next(connection);
        });

    /// <summary>The problem+json response replacing <paramref name="response"/>, or null when it is not one of Kestrel's own rejections.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> response)
    {
        if (response.Length is < 20 or > 512 || !response.StartsWith("HTTP/1.1 4"u8) || !response.EndsWith("\r\n\r\n"u8)
            || response.IndexOf("\r\nContent-Length: 0\r\n"u8) < 0 || response.IndexOf("\r\nConnection: close\r\n"u8) < 0
            || response.IndexOf("\r\nContent-Type:"u8) >= 0
            || !int.TryParse(response.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return null;
        }
        var head = Encoding.ASCII.GetString(response);
        var title = head[13..head.IndexOf('\r', StringComparison.Ordinal)];
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = Detail(status),
        });
        var headers = head.Replace("\r\nContent-Length: 0\r\n",
            $"\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n", StringComparison.Ordinal);
        return [.. Encoding.ASCII.GetBytes(headers), .. body];
    }

    private static string Detail(int status) => status switch
    {
        StatusCodes.Status414UriTooLong => "The request line is longer than 8 KiB; nothing was done.",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are larger than 32 KiB or more than 100 fields; nothing was done.",
        _ => "The request is not valid HTTP/1.1 (request line, header syntax, or a missing or invalid Host header); nothing was done.",
    };

    private sealed class Pipe(IDuplexPipe inner) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output { get; } = new Writer(inner.Output);
    }

    /// <summary>Holds what is written until the flush, so a whole rejection can be replaced before it leaves.</summary>
    private sealed class Writer(PipeWriter inner) : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> _pending = new();

        // System.Text.Json asks how much is buffered to decide when to flush.
        public override bool CanGetUnflushedBytes => true;

        public override long UnflushedBytes => _pending.WrittenCount + (inner.CanGetUnflushedBytes ? inner.UnflushedBytes : 0);

        public override void Advance(int bytes) => _pending.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            MovePending();
            return inner.FlushAsync(cancellationToken);
        }

        public override void Complete(Exception? exception = null)
        {
            MovePending();
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            MovePending();
            await inner.CompleteAsync(exception);
        }

        private void MovePending()
        {
            if (_pending.WrittenCount == 0)
            {
                return;
            }
            inner.Write(Rewrite(_pending.WrittenSpan) ?? _pending.WrittenSpan);
            _pending.ResetWrittenCount();
        }
    }
}
