using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Scripting.Server.Hosting;

/// <summary>The server's TLS settings as InfluxDB 3 takes them: a PEM certificate and key, a minimum version.</summary>
internal static class Tls
{
    /// <summary>The certificate with its key; null when the server runs in cleartext. Throws naming the file that cannot be used.</summary>
    public static X509Certificate2? Certificate(ServerOptions options)
    {
        if (options.TlsCertificate is null && options.TlsKey is null)
        {
            return null;
        }

        if (options.TlsCertificate is null || options.TlsKey is null)
        {
            throw new ArgumentException("--tls-cert and --tls-key go together: give both PEM files, or neither for cleartext");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(options.TlsCertificate, options.TlsKey);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ArgumentException($"cannot use --tls-cert {options.TlsCertificate} with --tls-key {options.TlsKey}: {error.Message}", error);
        }
    }

    public static SslProtocols Protocols(string minimum) => minimum.ToLowerInvariant() switch
    {
        "tls-1.2" => SslProtocols.Tls12 | SslProtocols.Tls13,
        "tls-1.3" => SslProtocols.Tls13,
        _ => throw new ArgumentException($"invalid --tls-minimum-version '{minimum}': expected tls-1.2 or tls-1.3"),
    };
}
