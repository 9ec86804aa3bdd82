namespace Scripting.Core.Writes;

public sealed record WriteOptions(bool AcceptPartial = true, bool NoSync = false);

/// <summary>Stores validated writes. Completes once the rows are durable, or accepted when NoSync is set.</summary>
public interface IWriteBuffer
{
    Task WriteAsync(ValidatedWrite write, WriteOptions options, CancellationToken cancellationToken = default);
}
