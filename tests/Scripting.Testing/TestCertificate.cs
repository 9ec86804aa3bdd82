using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Scripting.Testing;

/// <summary>A throw-away self-signed certificate for localhost and 127.0.0.1, written as PEM files for <c>--tls-cert</c> and <c>--tls-key</c>.</summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, string certificateFile, string keyFile)
    {
        Certificate = certificate;
        CertificateFile = certificateFile;
        KeyFile = keyFile;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate (its own authority) as PEM.</summary>
    public string CertificateFile { get; }

    /// <summary>The private key as PKCS#8 PEM.</summary>
    public string KeyFile { get; }

    public static async Task<TestCertificate> CreateAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var certificateFile = Path.Combine(directory, "cert.pem");
        var keyFile = Path.Combine(directory, "key.pem");
        await File.WriteAllTextAsync(certificateFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        return new TestCertificate(certificate, certificateFile, keyFile);
    }

    /// <summary>True when <paramref name="presented"/> is this certificate (for clients that pin it).</summary>
    public bool Matches(X509Certificate? presented) => presented?.GetCertHashString() == Certificate.GetCertHashString();

    public void Dispose() => Certificate.Dispose();
}
