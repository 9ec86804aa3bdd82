using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scripting.Contracts;
using Scripting.Python;
using Scripting.Python.Packages;
using Scripting.Server.Hosting;
using Scripting.Server.Http;

namespace Scripting.Server.Endpoints;

internal sealed class InstallPackagesRequestValidator : AbstractValidator<InstallPackagesRequest>
{
    public InstallPackagesRequestValidator()
    {
        RuleFor(r => r.Packages).NotNull().WithMessage("packages is required: a list of package specifiers, for example [\"requests\"]")
            .Must(p => p is { Count: > 0 }).WithMessage("packages must name at least one package");
        RuleForEach(r => r.Packages).NotEmpty().WithMessage("package names cannot be empty")
            .Must(p => !p.StartsWith('-')).WithMessage(p => $"'{p}' is not a package: options cannot be passed to pip");
    }
}

internal sealed class InstallRequirementsRequestValidator : AbstractValidator<InstallRequirementsRequest>
{
    public InstallRequirementsRequestValidator() =>
        RuleFor(r => r.RequirementsLocation).NotEmpty().WithMessage("requirements_location is required: the path of a requirements file");
}

/// <summary>Packages for Python plugins: pip in the plugin virtual environment; a pip failure is a 500 with pip's output.</summary>
internal static class PluginEnvironmentEndpoints
{
    public static void MapPluginEnvironmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(ApiRoutes.InstallPackages, async (InstallPackagesRequest request, PythonPlugins python, ServerOptions options, CancellationToken cancel) =>
        {
            Validation.Check(new InstallPackagesRequestValidator(), request);
            return await InstallAsync(python, options, environment => environment.InstallPackagesAsync(request.Packages!, cancel));
        });
        app.MapPost(ApiRoutes.InstallRequirements, async (InstallRequirementsRequest request, PythonPlugins python, ServerOptions options, CancellationToken cancel) =>
        {
            Validation.Check(new InstallRequirementsRequestValidator(), request);
            return await InstallAsync(python, options, environment => environment.InstallRequirementsAsync(RequirementsPath(request.RequirementsLocation!, options), cancel));
        });
    }

    /// <summary>
    /// A relative path is looked up in the plugin directory first (as the API docs say), then in the
    /// server's working directory (as InfluxDB 3 Core does).
    /// </summary>
    private static string RequirementsPath(string location, ServerOptions options) =>
        !Path.IsPathRooted(location) && options.PluginDirectory is { } plugins && File.Exists(Path.Combine(plugins, location))
            ? Path.Combine(plugins, location)
            : Path.GetFullPath(location);

    private static async Task<IResult> InstallAsync(PythonPlugins python, ServerOptions options, Func<VirtualEnvironment, Task<string>> install)
    {
        if (string.Equals(options.PackageManager, "disabled", StringComparison.OrdinalIgnoreCase))
        {
            return ErrorResponses.Error(StatusCodes.Status403Forbidden, "Package installation has been disabled. Contact your administrator for more information.");
        }

        if (python.Environment is not { } environment)
        {
            var why = python.Runtime is PythonRuntime ? "start the server with --plugin-dir or --virtual-env-location" : "Python is not available on this server";
            return ErrorResponses.Error(StatusCodes.Status500InternalServerError, $"Processing engine error: error installing python packages: Plugin environment management is disabled ({why})");
        }

        try
        {
            await install(environment);
            PythonRuntime.PackagesChanged();
            return Results.Ok();
        }
        catch (PackageInstallException error)
        {
            return ErrorResponses.Error(StatusCodes.Status500InternalServerError, $"Processing engine error: error installing python packages: {error.Message}");
        }
    }
}
