using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Scripting.CSharp.Compilation;

/// <summary>
/// Makes plugin code cancellable: every loop body and every method or local function body starts with
/// a call to <c>PluginCancellation.ThrowIfCancelled()</c>, so a run past its deadline stops at the next
/// iteration or call even if the plugin never checks a token itself.
/// </summary>
internal sealed class CancellationRewriter : CSharpSyntaxRewriter
{
    private static readonly StatementSyntax Check = SyntaxFactory.ParseStatement("global::Scripting.PluginApi.PluginCancellation.ThrowIfCancelled();");

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) =>
        base.VisitWhileStatement(node) is WhileStatementSyntax loop ? loop.WithStatement(Guard(loop.Statement)) : null;

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) =>
        base.VisitDoStatement(node) is DoStatementSyntax loop ? loop.WithStatement(Guard(loop.Statement)) : null;

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) =>
        base.VisitForStatement(node) is ForStatementSyntax loop ? loop.WithStatement(Guard(loop.Statement)) : null;

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) =>
        base.VisitForEachStatement(node) is ForEachStatementSyntax loop ? loop.WithStatement(Guard(loop.Statement)) : null;

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        return visited.Body is { } body ? visited.WithBody(Guard(body)) : visited;
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        return visited.Body is { } body ? visited.WithBody(Guard(body)) : visited;
    }

    private static BlockSyntax Guard(StatementSyntax body) => body is BlockSyntax block
        ? block.WithStatements(block.Statements.Insert(0, Check))
        : SyntaxFactory.Block(Check, body);
}
