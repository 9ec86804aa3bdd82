using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Scripting.Core.Errors;

namespace Scripting.Server.Http;

/// <summary>Reads a request body whole: gzip is undone, and the size limit applies after decompression.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        using var body = await ReadPooledAsync(request, maxBytes, cancellationToken);
        return body.Memory.ToArray();
    }

    /// <summary>Reads the body into a pooled buffer; dispose to return it.</summary>
    public static async Task<PooledBody> ReadPooledAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        Stream source = encoding switch
        {
            "" or "identity" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new ScriptingException(ErrorKind.BadRequest, $"unacceptable content-encoding: {encoding}"),
        };

        var capacity = request.ContentLength is > 0 and <= int.MaxValue && encoding != "gzip" ? (int)request.ContentLength.Value + 1 : 64 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
        }
        catch (InvalidDataException error)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new ScriptingException(ErrorKind.BadRequest, $"the gzip body could not be decompressed: {error.Message}");
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        finally
        {
            if (source != request.Body)
            {
                await source.DisposeAsync();
            }
        }

        return new PooledBody(buffer, length);
    }

    internal sealed class PooledBody(byte[] buffer, int length) : IDisposable
    {
        private byte[]? _buffer = buffer;

        public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, length);

        public void Dispose()
        {
            var buffer = Interlocked.Exchange(ref _buffer, null);
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static ScriptingException TooLarge(long maxBytes) =>
        new(ErrorKind.TooLarge, $"max request size ({maxBytes} bytes) exceeded");
}
