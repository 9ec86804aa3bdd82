using Scripting.Server.Hosting;

namespace Scripting.Cli.Tests;

/// <summary>
/// The CLI against a server on <c>https://</c> with a self-signed certificate: trusted through
/// <c>--tls-ca</c> or <c>INFLUXDB3_TLS_CA</c>, refused without it, with a reason that names the flag.
/// </summary>
public sealed class CliTlsTests : IAsyncLifetime
{
    private readonly string _directory = TempDirectory.NewPath("cli-tls");
    private TestCertificate _certificate = null!;
    private RunningServer _server = null!;

    private string Host => _server.Address.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        _certificate = await TestCertificate.CreateAsync(_directory);
        _server = await RunningServer.StartAsync(new ServerOptions { TlsCertificate = _certificate.CertificateFile, TlsKey = _certificate.KeyFile });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
        TempDirectory.Remove(_directory);
    }

    [Fact]
    public async Task TlsCa_TrustsTheServersCertificateForWritesAndQueries()
    {
        Host.ShouldStartWith("https://");
        var create = await CliProcess.RunAsync(["create", "database", "secure", "--host", Host, "--tls-ca", _certificate.CertificateFile]);
        create.ExitCode.ShouldBe(0, create.Stderr);

        var write = await CliProcess.RunAsync(["write", "--host", Host, "--tls-ca", _certificate.CertificateFile, "--database", "secure", "cpu,host=a usage=0.5 1700000000000000000"]);
        write.ExitCode.ShouldBe(0, write.Stderr);

        var query = await CliProcess.RunAsync(["query", "--host", Host, "--tls-ca", _certificate.CertificateFile, "--database", "secure", "--format", "csv", "SELECT host, usage FROM cpu"]);
        query.ExitCode.ShouldBe(0, query.Stderr);
        query.Stdout.ShouldContain("a,0.5");

        var flight = await CliProcess.RunAsync(["query", "--host", Host, "--tls-ca", _certificate.CertificateFile, "--database", "secure", "--protocol", "flight", "--format", "csv", "SELECT host, usage FROM cpu"]);
        flight.ExitCode.ShouldBe(0, flight.Stderr);
        flight.Stdout.ShouldBe(query.Stdout);
    }

    [Fact]
    public async Task TlsCaEnvironmentVariable_IsTheDefault()
    {
        var show = await CliProcess.RunAsync(["show", "databases", "--host", Host], environment: new Dictionary<string, string> { ["INFLUXDB3_TLS_CA"] = _certificate.CertificateFile });

        show.ExitCode.ShouldBe(0, show.Stderr);
    }

    [Fact]
    public async Task UntrustedCertificate_FailsNamingTlsCa()
    {
        var show = await CliProcess.RunAsync(["show", "databases", "--host", Host]);

        show.ExitCode.ShouldBe(1);
        show.Stderr.ShouldContain("TLS");
        show.Stderr.ShouldContain("--tls-ca");

        var flight = await CliProcess.RunAsync(["query", "--host", Host, "--database", "secure", "--protocol", "flight", "SELECT 1"]);
        flight.ExitCode.ShouldBe(1);
        flight.Stderr.ShouldContain("--tls-ca");
    }

    [Fact]
    public async Task MissingOrInvalidAuthorityFile_IsRefusedWithTheReason()
    {
        var missing = await CliProcess.RunAsync(["show", "databases", "--host", Host, "--tls-ca", Path.Combine(_directory, "nope.pem")]);
        missing.ExitCode.ShouldBe(1);
        missing.Stderr.ShouldContain("nope.pem' does not exist");

        var notPem = Path.Combine(_directory, "not.pem");
        await File.WriteAllTextAsync(notPem, "hello");
        var invalid = await CliProcess.RunAsync(["show", "databases", "--host", Host, "--tls-ca", notPem]);
        invalid.ExitCode.ShouldBe(1);
        invalid.Stderr.ShouldContain("not.pem");
    }

    [Fact]
    public async Task AnotherAuthority_DoesNotMakeTheServerTrusted()
    {
        using var other = await TestCertificate.CreateAsync(Path.Combine(_directory, "other"));

        var show = await CliProcess.RunAsync(["show", "databases", "--host", Host, "--tls-ca", other.CertificateFile]);

        show.ExitCode.ShouldBe(1);
        show.Stderr.ShouldContain("--tls-ca");
    }
}
