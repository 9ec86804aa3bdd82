using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Scripting.Cli.Commands;

/// <summary>
/// How the CLI trusts an <c>https://</c> server: the system's authorities, and with <c>--tls-ca</c> also the
/// authorities in that PEM file (a self-signed server certificate can be its own authority). The host name is
/// checked either way.
/// </summary>
internal static class ServerTrust
{
    /// <summary>The handler for a client that trusts <paramref name="authorityFile"/>; null without one (the system's trust).</summary>
    public static SocketsHttpHandler? Handler(string? authorityFile)
    {
        if (string.IsNullOrEmpty(authorityFile))
        {
            return null;
        }

        var authorities = Load(authorityFile);
        return new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trusted(authorities, certificate, chain, errors) },
        };
    }

    /// <summary>The reason when <paramref name="error"/> is a TLS handshake the CLI refused, else null.</summary>
    public static string? Untrusted(HttpRequestException error) =>
        error.InnerException is AuthenticationException refused
            ? $"the TLS connection to the server failed ({refused.Message}); if its certificate is self-signed or from a private authority, pass --tls-ca FILE (or set INFLUXDB3_TLS_CA) with that authority's PEM certificate"
            : null;

    private static X509Certificate2Collection Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"--tls-ca file '{path}' does not exist");
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException error)
        {
            throw new CliException($"--tls-ca file '{path}' is not a PEM certificate: {error.Message}");
        }

        return authorities.Count > 0 ? authorities : throw new CliException($"--tls-ca file '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    private static bool Trusted(X509Certificate2Collection authorities, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false; // no certificate, or one issued for another name
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(presented);
    }
}
