namespace Scripting.Engine;
internal static class Placeholder { }
