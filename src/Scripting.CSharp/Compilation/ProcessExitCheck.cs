using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Scripting.CSharp.Compilation;

/// <summary>
/// Refuses, at compile time, calls that would end the server's process rather than the run:
/// <c>Environment.Exit</c>, <c>Environment.FailFast</c>, killing the current process, and declaring native
/// functions (<c>DllImport</c>, <c>LibraryImport</c>), through which <c>exit</c> or <c>kill</c> could be called.
/// A plugin runs with the server's rights; this catches the mistakes that take it down, it is not a sandbox.
/// </summary>
internal static class ProcessExitCheck
{
    public static IEnumerable<(Location Where, string Message)> Find(SemanticModel model)
    {
        var root = model.SyntaxTree.GetRoot();
        foreach (var name in root.DescendantNodes().OfType<SimpleNameSyntax>())
        {
            var symbol = model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
            if (symbol is IMethodSymbol method && Refusal(model, name, method) is { } message)
            {
                // Where the call is written: Environment.Exit, not Exit.
                var written = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : (SyntaxNode)name;
                yield return (written.GetLocation(), message);
            }
        }

        foreach (var attribute in root.DescendantNodes().OfType<AttributeSyntax>())
        {
            if (model.GetTypeInfo(attribute).Type is { Name: "DllImportAttribute" or "LibraryImportAttribute" } type
                && type.ContainingNamespace.ToDisplayString() == "System.Runtime.InteropServices")
            {
                yield return (attribute.GetLocation(), $"{type.Name[..^"Attribute".Length]} declares a native function; plugins cannot call native code directly");
            }
        }
    }

    private static string? Refusal(SemanticModel model, SimpleNameSyntax name, IMethodSymbol method)
    {
        var type = method.ContainingType?.ToDisplayString();
        if (type == "System.Environment" && method.Name is "Exit" or "FailFast")
        {
            return $"Environment.{method.Name} would end the server's process; a plugin cannot call it (to fail the run, throw an exception)";
        }

        if (type == "System.Diagnostics.Process" && method.Name == "Kill" && name.Parent is MemberAccessExpressionSyntax access && IsCurrentProcess(model, access.Expression))
        {
            return "killing the server's own process is refused; a plugin cannot call Process.Kill on it";
        }

        return null;
    }

    /// <summary><c>Process.GetCurrentProcess()</c>, <c>Process.GetProcessById(Environment.ProcessId)</c>, or a local set to one of them.</summary>
    private static bool IsCurrentProcess(SemanticModel model, ExpressionSyntax expression)
    {
        if (expression is IdentifierNameSyntax && model.GetSymbolInfo(expression).Symbol is ILocalSymbol local)
        {
            return local.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<VariableDeclaratorSyntax>()
                .Any(d => d.Initializer is { } initializer && IsCurrentProcess(model, initializer.Value));
        }

        if (expression is not InvocationExpressionSyntax invocation || model.GetSymbolInfo(invocation).Symbol is not IMethodSymbol called
            || called.ContainingType?.ToDisplayString() != "System.Diagnostics.Process")
        {
            return false;
        }

        return called.Name == "GetCurrentProcess"
            || (called.Name == "GetProcessById" && invocation.ArgumentList.Arguments.Count > 0
                && model.GetSymbolInfo(invocation.ArgumentList.Arguments[0].Expression).Symbol is IPropertySymbol { Name: "ProcessId" } id
                && id.ContainingType.ToDisplayString() == "System.Environment");
    }
}
