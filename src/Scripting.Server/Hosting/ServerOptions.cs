namespace Scripting.Server.Hosting;

/// <summary>What <c>scripting serve</c> configures.</summary>
public sealed record ServerOptions
{
    public const string DefaultBind = "127.0.0.1:8181";

    public string HttpBind { get; init; } = DefaultBind;

    /// <summary>Where the catalog and database files live; null with <see cref="InMemory"/>.</summary>
    public string? DataDirectory { get; init; }

    public bool InMemory { get; init; }

    public string? PluginDirectory { get; init; }

    /// <summary>How long a plugin run may take unless its trigger's run_timeout argument says otherwise.</summary>
    public TimeSpan PluginRunTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Plugin memory (the .NET heap, malloc'd memory and Python's object arenas) past which runs in progress
    /// are stopped (<c>--plugin-memory-limit</c>); null for none. Default: half of the memory the process may use.
    /// </summary>
    public long? PluginMemoryLimit { get; init; } = DefaultPluginMemoryLimit;

    /// <summary>Half of the memory the process may use (physical memory, or the container's limit).</summary>
    public static long DefaultPluginMemoryLimit => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;

    public long MaxRequestBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The key file sealing secrets (<c>--secrets-key-file</c>); null: the default outside the data dir.</summary>
    public string? SecretsKeyFile { get; init; }

    /// <summary>Largest plugin directory upload (<c>--max-plugin-directory-size</c>); every other body has <see cref="MaxRequestBytes"/>.</summary>
    public long MaxPluginDirectoryBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary>How long, how many at once and how much memory queries may take (<c>--query-timeout</c>, <c>--max-concurrent-queries</c>).</summary>
    public Query.Limits.QueryLimits QueryLimits { get; init; } = new();

    /// <summary>Databases, tables and columns per table (<c>--num-database-limit</c>, <c>--num-table-limit</c>, <c>--num-total-columns-per-table-limit</c>).</summary>
    public Core.Catalog.SchemaLimits SchemaLimits { get; init; } = Core.Catalog.SchemaLimits.Default;

    /// <summary>
    /// What one database's queries may hold in memory before DuckDB spills to disk or fails the query
    /// (<c>--query-memory-limit</c>), apart from the plugin memory limit; null for none. Default: a quarter
    /// of the memory the process may use.
    /// </summary>
    public long? QueryMemoryLimit { get; init; } = DefaultQueryMemoryLimit;

    public static long DefaultQueryMemoryLimit => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    /// <summary>Connections served at once (<c>--max-connections</c>); null sizes it to the open-files limit.</summary>
    public int? MaxConnections { get; init; }

    public string LogFilter { get; init; } = "info";

    /// <summary>The Python interpreter whose libpython runs Python plugins; null looks for SCRIPTING_PYTHON, then python3 on PATH.</summary>
    public string? PythonInterpreter { get; init; }

    /// <summary>The plugin virtual environment; null means &lt;plugin-dir&gt;/.venv.</summary>
    public string? VirtualEnvLocation { get; init; }

    /// <summary>discover, pip or uv install packages with pip; disabled refuses installs (403).</summary>
    public string PackageManager { get; init; } = "discover";

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How often a Flight query stream with nothing to send yet sends an empty batch (InfluxDB 3's 5 s; tests shorten it).</summary>
    public TimeSpan FlightKeepAlive { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Accept every request without a token (<c>--without-auth</c>); the token endpoints then answer 405.</summary>
    public bool WithoutAuth { get; init; }

    /// <summary>A JSON file <c>{"token": "apiv3_...", "name": "_admin", "expiry_millis": null}</c> whose token is loaded at start.</summary>
    public string? AdminTokenFile { get; init; }

    /// <summary>
    /// A second address (<c>--admin-token-recovery-http-bind</c>) that serves only
    /// <c>POST /api/v3/configure/token/admin/regenerate</c>, without a token, for an operator who lost theirs.
    /// Null: no such address.
    /// </summary>
    public string? AdminTokenRecoveryBind { get; init; }

    /// <summary>
    /// PEM files of a certificate and its key (<c>--tls-cert</c>, <c>--tls-key</c>): the address then serves
    /// HTTPS, and HTTP/2 over TLS for gRPC, instead of cleartext. Null: cleartext.
    /// </summary>
    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>The oldest TLS version accepted (<c>--tls-minimum-version</c>): <c>tls-1.2</c> or <c>tls-1.3</c>.</summary>
    public string TlsMinimumVersion { get; init; } = "tls-1.2";

    /// <summary>The address the bare <c>--admin-token-recovery-http-bind</c> flag uses.</summary>
    public const string DefaultRecoveryBind = "127.0.0.1:8182";

    /// <summary>Endpoints open without a token (<c>--disable-authz</c>): health, ping, metrics.</summary>
    public IReadOnlySet<string> OpenEndpoints { get; init; } = new HashSet<string>();
}
