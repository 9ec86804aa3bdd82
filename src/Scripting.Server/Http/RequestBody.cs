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

        var capacity = request.ContentLength is > 0 and <= int.MaxValue && encoding != "gzip" ? (int)request.ContentLength.Value : 64 * 1024;
        var buffer = new ArrayBufferWriter<byte>(capacity);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(64 * 1024);
                var read = await source.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }
        }
        catch (InvalidDataException error)
        {
            throw new ScriptingException(ErrorKind.BadRequest, $"the gzip body could not be decompressed: {error.Message}");
        }
        finally
        {
            if (source != request.Body)
            {
                await source.DisposeAsync();
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static ScriptingException TooLarge(long maxBytes) =>
        new(ErrorKind.TooLarge, $"max request size ({maxBytes} bytes) exceeded");
}
