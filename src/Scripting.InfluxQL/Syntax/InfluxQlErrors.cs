using Scripting.Core.Errors;

namespace Scripting.InfluxQL.Syntax;

/// <summary>Statements that cannot be parsed or run, in InfluxDB's words (<c>error parsing query: ...</c> for parse errors).</summary>
internal static class InfluxQlErrors
{
    public static ScriptingException Invalid(string message) => new(ErrorKind.BadRequest, message);
}
