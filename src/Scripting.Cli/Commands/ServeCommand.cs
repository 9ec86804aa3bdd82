using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Scripting.Server.Hosting;

namespace Scripting.Cli.Commands;

/// <summary><c>scripting serve</c>: runs the server in this process, with influxdb3's flags and variables.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var nodeId = Option<string?>("--node-id", "INFLUXDB3_NODE_IDENTIFIER_PREFIX", "Node identifier (accepted for compatibility; a single node needs none)", "--host-id");
        var mode = Option<string?>("--mode", null, "Server mode (accepted for compatibility; a single node does everything)");
        var clusterId = Option<string?>("--cluster-id", null, "Cluster identifier (accepted for compatibility; ignored on a single node)");
        var bind = Option<string>("--http-bind", "INFLUXDB3_HTTP_BIND_ADDR", $"Address to listen on, host:port (default {ServerOptions.DefaultBind})");
        var pluginDir = Option<string?>("--plugin-dir", "INFLUXDB3_PLUGIN_DIR", "Directory of plugin files");
        var objectStore = Option<string>("--object-store", "INFLUXDB3_OBJECT_STORE", "Where data lives: file (default) or memory");
        objectStore.AcceptOnlyFromAmong("file", "memory");
        var dataDir = Option<string?>("--data-dir", "INFLUXDB3_DB_DIR", "Directory for the catalog and database files (default ~/.scripting)");
        var logFilter = Option<string?>("--log-filter", "INFLUXDB3_LOG_FILTER", "Log level: error, warn, info, debug, trace");
        var maxRequest = Option<long?>("--max-http-request-size", "INFLUXDB3_MAX_HTTP_REQUEST_SIZE", "Largest request body in bytes (default 10485760)");
        var maxDirectory = Option<long?>("--max-plugin-directory-size", "SCRIPTING_MAX_PLUGIN_DIRECTORY_SIZE", "Largest plugin directory upload in bytes (default 104857600); every other body has --max-http-request-size");
        var python = Option<string?>("--python", "SCRIPTING_PYTHON", "Python interpreter whose libpython runs Python plugins (default: python3 on PATH)");
        var virtualEnv = Option<string?>("--virtual-env-location", "VIRTUAL_ENV", "Plugin virtual environment (default <plugin-dir>/.venv, created if missing)");
        var packageManager = Option<string?>("--package-manager", "INFLUXDB3_PACKAGE_MANAGER", "discover, pip or uv install packages with pip; disabled refuses installs");
        packageManager.AcceptOnlyFromAmong("discover", "pip", "uv", "disabled");
        var withoutAuth = Option<bool>("--without-auth", "INFLUXDB3_START_WITHOUT_AUTH", "Accept every request without a token (the token endpoints then answer 405)");
        var secretsKeyFile = Option<string?>("--secrets-key-file", "SCRIPTING_SECRETS_KEY_FILE", "Key file that seals secrets, kept apart from the data dir (default ~/.config/scripting/secrets.key, created 0600 with the first secret)");
        var adminTokenFile = Option<string?>("--admin-token-file", "INFLUXDB3_ADMIN_TOKEN_FILE", "JSON file {\"token\": \"apiv3_...\", \"name\": \"_admin\"} whose token is loaded at start");
        var recoveryBind = Option<string?>("--admin-token-recovery-http-bind", "INFLUXDB3_ADMIN_TOKEN_RECOVERY_HTTP_BIND_ADDR", $"Also listen on this address (bare flag: {ServerOptions.DefaultRecoveryBind}) for one request only: regenerating the operator token without a token");
        recoveryBind.Arity = ArgumentArity.ZeroOrOne;
        var memoryLimit = Option<string?>("--plugin-memory-limit", "SCRIPTING_PLUGIN_MEMORY_LIMIT", "Plugin memory past which runs in progress are stopped: 512MiB, 2GB, 40% (of the memory the server may use) or none (default 50%)");
        var queryTimeout = Option<string?>("--query-timeout", "SCRIPTING_QUERY_TIMEOUT", "Longest a query may run, such as 30s or 5m (default 60s); a request's timeout parameter may shorten it");
        var maxQueries = Option<int?>("--max-concurrent-queries", "SCRIPTING_MAX_CONCURRENT_QUERIES", $"Queries running at once; others wait up to 5 s, then get 503 (default {Environment.ProcessorCount * 2}, twice the cores)");
        var queryMemory = Option<string?>("--query-memory-limit", "SCRIPTING_QUERY_MEMORY_LIMIT", "Memory one database's queries may use before they spill to disk or fail: 1GiB, 25% or none (default 25%)");
        var maxConnections = Option<int?>("--max-connections", "SCRIPTING_MAX_CONNECTIONS", "Connections served at once (default: sized to the open-files limit, which serve raises to its hard limit)");
        var databaseLimit = Option<int?>("--num-database-limit", "INFLUXDB3_NUM_DATABASE_LIMIT", "Databases the server may hold (default 100)");
        var tableLimit = Option<int?>("--num-table-limit", "INFLUXDB3_NUM_TABLE_LIMIT", "Tables across all databases (default 4000)");
        var columnLimit = Option<int?>("--num-total-columns-per-table-limit", "INFLUXDB3_NUM_TOTAL_COLUMNS_PER_TABLE_LIMIT", "Tag and field columns per table (default 500)");
        var tlsCert = Option<string?>("--tls-cert", "INFLUXDB3_TLS_CERT", "PEM certificate: the address serves HTTPS (and gRPC over TLS) instead of cleartext; needs --tls-key");
        var tlsKey = Option<string?>("--tls-key", "INFLUXDB3_TLS_KEY", "PEM private key of --tls-cert");
        var tlsMinimum = Option<string?>("--tls-minimum-version", "INFLUXDB3_TLS_MINIMUM_VERSION", "Oldest TLS version accepted: tls-1.2 (default) or tls-1.3");
        tlsMinimum.AcceptOnlyFromAmong("tls-1.2", "tls-1.3");
        var disableAuthz = Option<string?>("--disable-authz", "INFLUXDB3_DISABLE_AUTHZ", "Endpoints open without a token, comma-separated: health, ping, metrics");
        var command = new Command("serve", "Run the server") { nodeId, mode, clusterId, bind, pluginDir, objectStore, dataDir, logFilter, maxRequest, maxDirectory, python, virtualEnv, packageManager, withoutAuth, disableAuthz, adminTokenFile, secretsKeyFile, recoveryBind, memoryLimit, queryTimeout, maxQueries, queryMemory, maxConnections, databaseLimit, tableLimit, columnLimit, tlsCert, tlsKey, tlsMinimum };
        command.SetAction(async (result, cancel) =>
        {
            foreach (var (option, what) in new[] { (nodeId, "--node-id"), (mode, "--mode"), (clusterId, "--cluster-id") })
            {
                if (result.GetValue(option) is { } value)
                {
                    Console.WriteLine($"notice: {what} {value} is accepted for compatibility and has no effect on a single node");
                }
            }

            var inMemory = (result.GetValue(objectStore) ?? "file") == "memory";
            OpenFiles.Raise();
            ServerOptions options;
            try
            {
            options = new ServerOptions
            {
                HttpBind = result.GetValue(bind) ?? ServerOptions.DefaultBind,
                TlsCertificate = result.GetValue(tlsCert),
                TlsKey = result.GetValue(tlsKey),
                TlsMinimumVersion = result.GetValue(tlsMinimum) ?? "tls-1.2",
                InMemory = inMemory,
                DataDirectory = inMemory ? null : ExpandHome(result.GetValue(dataDir) ?? "~/.scripting"),
                PluginDirectory = result.GetValue(pluginDir) is { } plugins ? ExpandHome(plugins) : null,
                LogFilter = result.GetValue(logFilter) ?? "info",
                MaxRequestBytes = AtLeastOne(result.GetValue(maxRequest), "--max-http-request-size") ?? 10 * 1024 * 1024,
                MaxPluginDirectoryBytes = AtLeastOne(result.GetValue(maxDirectory), "--max-plugin-directory-size") ?? 100 * 1024 * 1024,
                PythonInterpreter = result.GetValue(python),
                VirtualEnvLocation = result.GetValue(virtualEnv) is { } venv ? ExpandHome(venv) : null,
                PackageManager = result.GetValue(packageManager) ?? "discover",
                WithoutAuth = result.GetValue(withoutAuth),
                AdminTokenFile = result.GetValue(adminTokenFile),
                SecretsKeyFile = result.GetValue(secretsKeyFile) is { } keyFile ? ExpandHome(keyFile) : null,
                OpenEndpoints = OpenEndpoints(result.GetValue(disableAuthz)),
                PluginMemoryLimit = result.GetValue(memoryLimit) is { } limit ? MemorySize.Parse(limit, "--plugin-memory-limit") : ServerOptions.DefaultPluginMemoryLimit,
                AdminTokenRecoveryBind = result.GetResult(recoveryBind) is { Implicit: false }
                    ? NonEmpty(result.GetValue(recoveryBind)) ?? ServerOptions.DefaultRecoveryBind
                    : NonEmpty(result.GetValue(recoveryBind)),
                QueryLimits = new Query.Limits.QueryLimits
                {
                    Timeout = result.GetValue(queryTimeout) is { } timeout ? Duration(timeout, "--query-timeout") : TimeSpan.FromSeconds(60),
                    MaxConcurrent = result.GetValue(maxQueries) is { } most
                        ? (most > 0 ? most : throw new ArgumentException($"invalid --max-concurrent-queries {most}: expected at least 1"))
                        : Environment.ProcessorCount * 2,
                },
                QueryMemoryLimit = result.GetValue(queryMemory) is { } queryLimit ? MemorySize.Parse(queryLimit, "--query-memory-limit") : ServerOptions.DefaultQueryMemoryLimit,
                MaxConnections = result.GetValue(maxConnections) is { } connections
                    ? (connections > 0 ? connections : throw new ArgumentException($"invalid --max-connections {connections}: expected at least 1"))
                    : null,
                SchemaLimits = new Core.Catalog.SchemaLimits(
                    AtLeastOne(result.GetValue(databaseLimit), "--num-database-limit") ?? Core.Catalog.SchemaLimits.Default.Databases,
                    AtLeastOne(result.GetValue(tableLimit), "--num-table-limit") ?? Core.Catalog.SchemaLimits.Default.Tables,
                    AtLeastOne(result.GetValue(columnLimit), "--num-total-columns-per-table-limit") ?? Core.Catalog.SchemaLimits.Default.ColumnsPerTable),
            };
            }
            catch (ArgumentException error)
            {
                await Console.Error.WriteLineAsync($"Serve command failed: {error.Message}");
                return 1;
            }

            try
            {
                var app = ScriptingServer.Build(options);
                Console.WriteLine($"Scripting listening on {(options.TlsCertificate is null ? "http" : "https")}://{options.HttpBind} ({(inMemory ? "in-memory store" : $"data in {options.DataDirectory}")}; {(options.WithoutAuth ? "no authentication" : "tokens required: `scripting create token --admin` makes the first")})");
                if (options.AdminTokenRecoveryBind is { } recovery)
                {
                    Console.WriteLine(options.WithoutAuth
                        ? "notice: --admin-token-recovery-http-bind has no effect with --without-auth"
                        : $"Admin token recovery on http://{recovery}: POST /api/v3/configure/token/admin/regenerate needs no token there");
                }

                await app.StartAsync(cancel);
                await app.WaitForShutdownAsync(cancel);
                await app.StopAsync(CancellationToken.None);
                return 0;
            }
            catch (Exception error) when (error is ArgumentException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or Core.Errors.ScriptingException)
            {
                await Console.Error.WriteLineAsync($"Serve command failed: {error.Message}");
                return 1;
            }
        });
        return command;
    }

    private static TimeSpan Duration(string text, string flag) =>
        DurationText.Parse(text, TimeSpan.FromDays(7))
        ?? throw new ArgumentException($"invalid {flag} '{text}': expected a duration such as 500ms, 30s, 5m or 1h (at most a week)");

    private static HashSet<string> OpenEndpoints(string? names)
    {
        var open = (names ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = open.Except(["health", "ping", "metrics", "ready", "pprof"]).ToList();
        return unknown.Count == 0 ? open : throw new ArgumentException($"invalid --disable-authz value '{string.Join(',', unknown)}': expected health, ping or metrics");
    }

    private static Option<T> Option<T>(string name, string? environment, string description, params string[] aliases)
    {
        var option = new Option<T>(name, aliases) { Description = environment is null ? description : $"{description} [env: {environment}]" };
        if (environment is not null)
        {
            option.DefaultValueFactory = _ =>
            {
                var value = Environment.GetEnvironmentVariable(environment);
                return string.IsNullOrEmpty(value) ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
            };
        }

        return option;
    }

    private static T? AtLeastOne<T>(T? value, string flag)
        where T : struct, System.Numerics.INumber<T> =>
        value is null || value.Value > T.Zero ? value : throw new ArgumentException($"invalid {flag} {value}: expected at least 1");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : string.Empty)
            : Path.GetFullPath(path);
}
