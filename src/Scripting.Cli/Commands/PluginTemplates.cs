using Scripting.Core.Plugins;
using Scripting.Server.Hosting;

namespace Scripting.Cli.Commands;

/// <summary>
/// What <c>scripting create plugin</c> offers: the server's languages (each writes a plugin per trigger kind
/// that runs as it is) and the trigger kinds.
/// </summary>
internal static class PluginTemplates
{
    public static readonly string[] Kinds = ["writes", "schedule", "request"];

    /// <summary>The languages of the server, in its registration order; each writes its own templates.</summary>
    public static IReadOnlyList<IPluginAuthoring> Languages => LanguageList.Value;

    private static readonly Lazy<IReadOnlyList<IPluginAuthoring>> LanguageList = new(ScriptingServer.PluginAuthoring);

    public static IPluginAuthoring Language(string name) => Languages.First(l => l.Language.Name == name);

    public static EntryPoints EntryPoint(string kind) => kind switch
    {
        "writes" => EntryPoints.ProcessWrites,
        "schedule" => EntryPoints.ProcessScheduledCall,
        _ => EntryPoints.ProcessRequest,
    };

    /// <summary>The trigger specification the printed example uses for <paramref name="kind"/>.</summary>
    public static string ExampleSpecification(string kind, string name) => kind switch
    {
        "writes" => "all_tables",
        "schedule" => "every:10s",
        _ => $"request:{name}",
    };
}
