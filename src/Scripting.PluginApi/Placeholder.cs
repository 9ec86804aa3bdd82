namespace Scripting.PluginApi;
internal static class Placeholder { }
