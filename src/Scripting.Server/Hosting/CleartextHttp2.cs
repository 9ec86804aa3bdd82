using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Scripting.Server.Hosting;

/// <summary>
/// HTTP/1.1 and HTTP/2 with prior knowledge (h2c) on one cleartext port, as InfluxDB 3 serves its HTTP API
/// and gRPC (Flight) together. Kestrel picks HTTP/2 on a mixed endpoint only from TLS's ALPN, so this
/// connection middleware looks at a connection's first bytes without consuming them: the HTTP/2 preface
/// marks the connection as having negotiated <c>h2</c>; anything else goes on as HTTP/1.1, untouched.
/// </summary>
internal static class CleartextHttp2
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static async Task DetectAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (connection.Features.Get<ITlsConnectionFeature>() is null && await StartsWithPrefaceAsync(connection))
        {
            connection.Features.Set<ITlsConnectionFeature>(new PriorKnowledge());
            connection.Features.Set<ITlsApplicationProtocolFeature>(new PriorKnowledge());
        }

        await next(connection);
    }

    private static async Task<bool> StartsWithPrefaceAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        patience.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(patience.Token);
                var buffer = read.Buffer;
                var length = (int)Math.Min(buffer.Length, Preface.Length);
                var head = buffer.Slice(0, length).ToArray();
                var matches = head.AsSpan().SequenceEqual(Preface.AsSpan(0, length));

                // Nothing is consumed: Kestrel reads the same bytes next.
                input.AdvanceTo(buffer.Start, matches && length < Preface.Length ? buffer.End : buffer.Start);
                if (!matches || length == Preface.Length || read.IsCompleted)
                {
                    return matches && length == Preface.Length;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>What Kestrel reads to choose HTTP/2: a negotiated <c>h2</c>, without a certificate.</summary>
    private sealed class PriorKnowledge : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public X509Certificate2? ClientCertificate { get; set; }

        public ReadOnlyMemory<byte> ApplicationProtocol => "h2"u8.ToArray();

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
