using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scripting.Server.Hosting;

namespace Scripting.Server.Tests.Engine;

/// <summary>
/// The plugin virtual environment: created at start in &lt;plugin-dir&gt;/.venv, packages installed into it with
/// pip from a wheel this test builds (no network), and importable by plugins at once.
/// </summary>
[Trait("Category", "Python")]
public sealed class PackageInstallTests : IAsyncLifetime
{
    private readonly string _plugins = TempDirectory.NewPath("venv-plugins");
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_plugins);
        _server = await RunningServer.StartAsync(new ServerOptions { PluginDirectory = _plugins, VirtualEnvLocation = RunningServer.DefaultVirtualEnvironment });
        await _server.Http.PostAsJsonAsync("/api/v3/configure/database", new { db = "home" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_plugins, recursive: true);
    }

    [Fact]
    public async Task InstallPackage_FromALocalWheel_PluginImportsIt_AndRequirementsWorkToo()
    {
        File.Exists(Path.Combine(_plugins, ".venv", "pyvenv.cfg")).ShouldBeTrue("the server creates <plugin-dir>/.venv at start");
        var wheel = BuildWheel(_plugins, "scripting_demo_pkg", "VALUE = 42\n");
        File.WriteAllText(Path.Combine(_plugins, "uses_pkg.py"), "import scripting_demo_pkg\ndef process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return {'value': scripting_demo_pkg.VALUE}\n");

        var install = await _server.Http.PostAsJsonAsync("/api/v3/configure/plugin_environment/install_packages", new { packages = new[] { wheel } });

        install.StatusCode.ShouldBe(HttpStatusCode.OK, await install.Content.ReadAsStringAsync());
        (await _server.Http.PostAsJsonAsync("/api/v3/configure/processing_engine_trigger", Trigger("uses_pkg", "uses_pkg.py"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _server.Http.GetStringAsync("/api/v3/engine/uses_pkg")).ShouldBe("{\"value\": 42}");

        var second = BuildWheel(_plugins, "scripting_other_pkg", "NAME = 'other'\n");
        var requirements = Path.Combine(_plugins, "requirements.txt");
        File.WriteAllText(requirements, second + "\n");
        var fromFile = await _server.Http.PostAsJsonAsync("/api/v3/configure/plugin_environment/install_requirements", new { requirements_location = "requirements.txt" });
        fromFile.StatusCode.ShouldBe(HttpStatusCode.OK, await fromFile.Content.ReadAsStringAsync());
        File.Exists(Path.Combine(_plugins, ".venv", "lib", "python3.11", "site-packages", "scripting_other_pkg", "__init__.py")).ShouldBeTrue();
    }

    [Fact]
    public async Task InstallPackage_PipFails_500WithPipsOutput()
    {
        var missing = Path.Combine(_plugins, "not_there-1.0-py3-none-any.whl");

        var response = await _server.Http.PostAsJsonAsync("/api/v3/configure/plugin_environment/install_packages", new { packages = new[] { missing } });

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        error.ShouldStartWith("Processing engine error: error installing python packages: pip install");
        error.ShouldContain("not_there-1.0-py3-none-any.whl");
    }

    [Fact]
    public async Task InstallPackage_BadBody_400()
    {
        var empty = await _server.Http.PostAsJsonAsync("/api/v3/configure/plugin_environment/install_packages", new { packages = Array.Empty<string>() });
        var option = await _server.Http.PostAsJsonAsync("/api/v3/configure/plugin_environment/install_packages", new { packages = new[] { "--index-url=http://x" } });

        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await empty.Content.ReadAsStringAsync()).ShouldContain("packages must name at least one package");
        option.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PackageManagerDisabled_403AsUpstream()
    {
        await using var server = await RunningServer.StartAsync(new ServerOptions { PluginDirectory = _plugins, PackageManager = "disabled" });

        var response = await server.Http.PostAsJsonAsync("/api/v3/configure/plugin_environment/install_packages", new { packages = new[] { "x" } });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Package installation has been disabled. Contact your administrator for more information.");
    }

    private static Dictionary<string, object?> Trigger(string name, string plugin) => new()
    {
        ["db"] = "home",
        ["plugin_filename"] = plugin,
        ["trigger_name"] = name,
        ["trigger_specification"] = "request:" + name,
        ["trigger_settings"] = new { run_async = false, error_behavior = "log" },
    };

    /// <summary>A minimal pure-Python wheel: the package, METADATA, WHEEL and RECORD.</summary>
    private static string BuildWheel(string directory, string package, string initSource)
    {
        var path = Path.Combine(directory, $"{package}-1.0-py3-none-any.whl");
        var info = $"{package}-1.0.dist-info";
        var files = new Dictionary<string, string>
        {
            [$"{package}/__init__.py"] = initSource,
            [$"{info}/METADATA"] = $"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n",
            [$"{info}/WHEEL"] = "Wheel-Version: 1.0\nGenerator: scripting-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        };
        files[$"{info}/RECORD"] = string.Concat(files.Keys.Select(name => name + ",,\n")) + $"{info}/RECORD,,\n";
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in files)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(content);
        }

        return path;
    }
}
