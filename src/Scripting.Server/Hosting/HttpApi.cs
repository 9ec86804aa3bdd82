using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Scripting.Core.Security;
using Scripting.Core.Writes;
using Scripting.Server.Endpoints;
using Scripting.Server.Http;

namespace Scripting.Server.Hosting;

/// <summary>The HTTP side of the server: listening, logging, JSON, security, middleware and the endpoint table.</summary>
internal static class HttpApi
{
    public static ILoggingBuilder AddServerLogging(this ILoggingBuilder logging, ServerOptions options)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(LogLevels.Parse(options.LogFilter));
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Kestrel warns at start that HTTP/2 needs TLS on a mixed cleartext endpoint, and that connections
        // will use HTTP/1.1: here CleartextHttp2 gives gRPC clients HTTP/2 all the same, so the warning
        // would mislead. Its errors still show.
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Error);
        return logging;
    }

    public static void ListenAsConfigured(this KestrelServerOptions kestrel, ServerOptions options)
    {
        kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBytes, options.MaxPluginDirectoryBytes);
        OpenFiles.LoadAssemblies(typeof(HttpApi).Assembly);
        kestrel.Limits.MaxConcurrentConnections = options.MaxConnections ?? OpenFiles.DefaultMaxConnections();
        kestrel.Limits.MaxConcurrentUpgradedConnections = kestrel.Limits.MaxConcurrentConnections;
        kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(60);
        kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        kestrel.AddServerHeader = false;
        // HTTP/1.1 and, on the same address, HTTP/2 for gRPC (Flight), as InfluxDB 3 serves them.
        kestrel.AllowAlternateSchemes = true;
        var certificate = Tls.Certificate(options);
        kestrel.Listen(Bind.Parse(options.HttpBind), listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            if (certificate is not null)
            {
                // Over TLS, ALPN chooses between HTTP/1.1 and HTTP/2.
                listen.UseHttps(certificate, https => https.SslProtocols = Tls.Protocols(options.TlsMinimumVersion));
            }
            else
            {
                listen.Use(next => connection => CleartextHttp2.DetectAsync(connection, next));
            }
        });
        if (options.AdminTokenRecoveryBind is { } recovery && !options.WithoutAuth)
        {
            kestrel.Listen(Bind.Parse(recovery, "--admin-token-recovery-http-bind"), listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => connection =>
                {
                    connection.Items[TokenRecovery.ConnectionMark] = true;
                    return next(connection);
                });
            });
        }
    }

    /// <summary>JSON as the API writes it, the token and secret stores, and the write path the write endpoints share.</summary>
    public static IServiceCollection AddHttpApi(this IServiceCollection services, ServerOptions options)
    {
        services.ConfigureHttpJsonOptions(json => JsonDefaults.Configure(json.SerializerOptions));
        services.AddSingleton(provider =>
        {
            var tokens = new TokenStore(provider.GetRequiredService<ITokenPersistence>(), options.Time);
            if (options.AdminTokenFile is { } tokenFile)
            {
                AdminTokenFile.Load(tokenFile, tokens);
            }

            return tokens;
        });
        services.AddSingleton(provider => new SecretStore(provider.GetRequiredService<ISecretPersistence>(), provider.GetRequiredService<ISecretKey>(), options.Time));
        services.TryAddSingleton<WritePath>();
        services.AddSingleton<WriteService>();
        return services;
    }

    public static void UseHttpApi(this WebApplication app, ServerOptions options)
    {
        var httpLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Scripting.Http");
        var tokens = app.Services.GetRequiredService<TokenStore>();
        // gRPC calls authenticate and report errors in the Flight service, as gRPC statuses.
        app.UseWhen(context => !Flight.FlightRegistration.IsGrpc(context), http =>
        {
            http.Use((context, next) => ErrorResponses.HandleAsync(context, next, httpLogger));
            http.Use((context, next) => TokenRecovery.HandleAsync(context, next));
            http.Use((context, next) => Authentication.HandleAsync(context, next, options, tokens));
            http.Use((context, next) => RequestLimits.HandleAsync(context, next, options));
        });
    }

    public static void MapHttpApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthEndpoints();
        app.MapDatabaseEndpoints();
        app.MapWriteEndpoints();
        app.MapQueryEndpoints();
        app.MapInfluxQlEndpoints();
        app.MapTriggerEndpoints();
        app.MapEngineEndpoints();
        app.MapPluginEnvironmentEndpoints();
        app.MapPluginEndpoints();
        app.MapTokenEndpoints();
        app.MapSecretEndpoints();
        app.MapFallback((HttpContext context) =>
            ErrorResponses.Error(StatusCodes.Status404NotFound, $"not found: {context.Request.Method} {context.Request.Path}"));
    }
}
