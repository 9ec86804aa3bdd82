using System.Net;
using Apache.Arrow.Flight;
using Apache.Arrow.Flight.Client;
using Grpc.Core;
using Grpc.Net.Client;
using InfluxDB3.Client;
using InfluxDB3.Client.Config;
using Scripting.Server.Hosting;

namespace Scripting.Server.Tests.Flight;

/// <summary>
/// <c>--tls-cert</c> and <c>--tls-key</c>: the one address serves HTTPS and HTTP/2 over TLS (ALPN), so the
/// HTTP API and Flight both work through TLS, with a certificate the test makes for itself.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly string _directory = TempDirectory.NewPath("tls");
    private TestCertificate _certificate = null!;
    private RunningServer _server = null!;

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

    private HttpClient Https(Version version) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => _certificate.Matches(presented) },
    })
    {
        BaseAddress = _server.Address,
        DefaultRequestVersion = version,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    [Fact]
    public async Task HttpApi_IsServedOverHttpsWithHttp1AndHttp2()
    {
        _server.Address.Scheme.ShouldBe("https");
        using var http1 = Https(HttpVersion.Version11);
        using var http2 = Https(HttpVersion.Version20);

        using var one = await http1.GetAsync("/health");
        using var two = await http2.GetAsync("/health");

        one.StatusCode.ShouldBe(HttpStatusCode.OK);
        one.Version.ShouldBe(HttpVersion.Version11);
        two.StatusCode.ShouldBe(HttpStatusCode.OK);
        two.Version.ShouldBe(HttpVersion.Version20);
    }

    [Fact]
    public async Task OfficialClient_WritesAndQueriesOverTls()
    {
        using var client = new InfluxDBClient(new ClientConfig
        {
            Host = _server.Address.ToString().TrimEnd('/'),
            Database = "sensors",
            Token = "unused",
            SslRootsFilePath = _certificate.CertificateFile,
        });
        await client.WriteRecordAsync("home,room=Kitchen temp=21.0 1641024000000000000");

        var rows = new List<object?[]>();
        await foreach (var row in client.Query("SELECT room, temp FROM home"))
        {
            rows.Add(row);
        }

        rows.Count.ShouldBe(1);
        rows[0][0].ShouldBe("Kitchen");
    }

    [Fact]
    public async Task FlightSqlClient_RunsAStatementOverTls()
    {
        (await Https(HttpVersion.Version11).PostAsync("/api/v3/write_lp?db=sensors", new StringContent("home,room=Living temp=22.5 1641024000000000000"))).EnsureSuccessStatusCode();
        using var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => _certificate.Matches(presented) } },
        });
        var flight = new FlightClient(channel);
        var descriptor = FlightDescriptor.CreateCommandDescriptor(FlightSqlWire.Command("CommandStatementQuery", (1, "SELECT room FROM home WHERE temp > 22")));

        var info = await flight.GetInfo(descriptor, new Metadata { { "database", "sensors" } });
        using var call = flight.GetStream(info.Endpoints.Single().Ticket);
        var rooms = new List<string?>();
        while (await call.ResponseStream.MoveNext())
        {
            var batch = call.ResponseStream.Current;
            rooms.AddRange(Enumerable.Range(0, batch.Length).Select(i => ((Apache.Arrow.StringArray)batch.Column(0)).GetString(i)));
        }

        rooms.ShouldBe(["Living"]);
    }

    [Fact]
    public void CertificateWithoutKey_IsRefusedNamingBothFlags()
    {
        var error = Should.Throw<ArgumentException>(() => ScriptingServer.Build(new ServerOptions { TlsCertificate = _certificate.CertificateFile, InMemory = true, HttpBind = "127.0.0.1:0" }));

        error.Message.ShouldContain("--tls-cert and --tls-key go together");
    }
}
