using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Scripting.CSharp.Compilation;

/// <summary>
/// Guards plugin code at run time. Every loop body starts with <c>PluginCancellation.ThrowIfCancelled()</c>,
/// so a run past its deadline stops at the next iteration even if the plugin never checks a token. Every
/// method, constructor, operator, accessor, local function and lambda starts with
/// <c>PluginCancellation.Enter(file, line)</c>, which also checks the stack, so runaway recursion ends the
/// run with the line where it recursed instead of ending the process with a stack overflow. Bodies written
/// as expressions become blocks for that; lambdas converted to expression trees are left as written.
/// The checks sit on the line they guard, so positions in the code stay where the author wrote them.
/// </summary>
internal sealed class RunGuardRewriter(SemanticModel model, string file) : CSharpSyntaxRewriter
{
    private static readonly StatementSyntax Check = SyntaxFactory.ParseStatement("global::Scripting.PluginApi.PluginCancellation.ThrowIfCancelled();");

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) =>
        base.VisitWhileStatement(node) is WhileStatementSyntax loop ? loop.WithStatement(Prepend(loop.Statement, Check)) : null;

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) =>
        base.VisitDoStatement(node) is DoStatementSyntax loop ? loop.WithStatement(Prepend(loop.Statement, Check)) : null;

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) =>
        base.VisitForStatement(node) is ForStatementSyntax loop ? loop.WithStatement(Prepend(loop.Statement, Check)) : null;

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) =>
        base.VisitForEachStatement(node) is ForEachStatementSyntax loop ? loop.WithStatement(Prepend(loop.Statement, Check)) : null;

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node) =>
        Guard((MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!, node.Identifier, Returns(node.ReturnType, node.Modifiers));

    public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node) =>
        Guard((ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!, node.Identifier, returnsValue: false);

    public override SyntaxNode? VisitOperatorDeclaration(OperatorDeclarationSyntax node) =>
        Guard((OperatorDeclarationSyntax)base.VisitOperatorDeclaration(node)!, node.OperatorToken, returnsValue: true);

    public override SyntaxNode? VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node) =>
        Guard((ConversionOperatorDeclarationSyntax)base.VisitConversionOperatorDeclaration(node)!, node.OperatorKeyword, returnsValue: true);

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        var enter = Enter(node.Identifier);
        return visited switch
        {
            { Body: { } body } => visited.WithBody(Prepend(body, enter)),
            { ExpressionBody: { } arrow } => visited
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithBody(Block(enter, arrow.Expression, Returns(node.ReturnType, node.Modifiers), visited.SemicolonToken)),
            _ => visited,
        };
    }

    public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        var visited = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
        var enter = Enter(node.Keyword);
        return visited switch
        {
            { Body: { } body } => visited.WithBody(Prepend(body, enter)),
            { ExpressionBody: { } arrow } => visited
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithBody(Block(enter, arrow.Expression, node.Keyword.IsKind(SyntaxKind.GetKeyword), visited.SemicolonToken)),
            _ => visited,
        };
    }

    public override SyntaxNode? VisitPropertyDeclaration(PropertyDeclarationSyntax node)
    {
        var visited = (PropertyDeclarationSyntax)base.VisitPropertyDeclaration(node)!;
        return visited.ExpressionBody is { } arrow
            ? visited.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(Getter(Enter(node.Identifier), arrow, visited.SemicolonToken))
            : visited;
    }

    public override SyntaxNode? VisitIndexerDeclaration(IndexerDeclarationSyntax node)
    {
        var visited = (IndexerDeclarationSyntax)base.VisitIndexerDeclaration(node)!;
        return visited.ExpressionBody is { } arrow
            ? visited.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(Getter(Enter(node.ThisKeyword), arrow, visited.SemicolonToken))
            : visited;
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) =>
        GuardLambda(node, (LambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!);

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) =>
        GuardLambda(node, (LambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!);

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
    {
        var visited = (AnonymousMethodExpressionSyntax)base.VisitAnonymousMethodExpression(node)!;
        return visited.WithBody(Prepend(visited.Block, Enter(node.DelegateKeyword)));
    }

    private LambdaExpressionSyntax GuardLambda(LambdaExpressionSyntax original, LambdaExpressionSyntax visited)
    {
        if (model.GetSymbolInfo(original).Symbol is not IMethodSymbol lambda || IsExpressionTree(original))
        {
            return visited;
        }

        var enter = Enter(original.ArrowToken);
        if (visited.Block is { } block)
        {
            return visited.WithBlock(Prepend(block, enter));
        }

        var returnsValue = !lambda.ReturnsVoid && !(lambda.IsAsync && IsPlainTask(lambda.ReturnType));
        return visited.WithExpressionBody(null).WithBlock(Block(enter, visited.ExpressionBody!, returnsValue, default));
    }

    private bool IsExpressionTree(LambdaExpressionSyntax lambda) =>
        model.GetTypeInfo(lambda).ConvertedType is INamedTypeSymbol { Name: "Expression", ContainingNamespace: { } ns } && ns.ToDisplayString() == "System.Linq.Expressions";

    private static bool IsPlainTask(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Task" or "ValueTask", IsGenericType: false };

    private BaseMethodDeclarationSyntax Guard(BaseMethodDeclarationSyntax visited, SyntaxToken at, bool returnsValue)
    {
        var enter = Enter(at);
        return visited switch
        {
            { Body: { } body } => visited.WithBody(Prepend(body, enter)),
            { ExpressionBody: { } arrow } => visited
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithBody(Block(enter, arrow.Expression, returnsValue, visited.SemicolonToken)),
            _ => visited,
        };
    }

    /// <summary>Whether a method's expression body is its value: not <c>void</c>, and not a plain <c>Task</c> of an <c>async</c> method.</summary>
    private static bool Returns(TypeSyntax type, SyntaxTokenList modifiers)
    {
        if (type is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword))
        {
            return false;
        }

        var name = type switch
        {
            QualifiedNameSyntax qualified => qualified.Right,
            AliasQualifiedNameSyntax alias => alias.Name,
            _ => type,
        };
        return !(modifiers.Any(SyntaxKind.AsyncKeyword) && name is IdentifierNameSyntax { Identifier.ValueText: "Task" or "ValueTask" });
    }

    private StatementSyntax Enter(SyntaxToken at)
    {
        var line = at.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        return SyntaxFactory.ParseStatement($"global::Scripting.PluginApi.PluginCancellation.Enter({SymbolDisplay.FormatLiteral(file, quote: true)}, {line});");
    }

    private static AccessorListSyntax Getter(StatementSyntax enter, ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon)
    {
        var list = SyntaxFactory.AccessorList(SyntaxFactory.SingletonList(
            SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, Block(enter, arrow.Expression, returnsValue: true, default))));
        return list.WithCloseBraceToken(list.CloseBraceToken.WithTrailingTrivia(semicolon.TrailingTrivia));
    }

    /// <summary>
    /// <c>{ enter; return expression; }</c> or <c>{ enter; expression; }</c>, ending with what followed the
    /// <paramref name="semicolon"/> it replaces (its line break), so the lines after it stay where they were.
    /// </summary>
    private static BlockSyntax Block(StatementSyntax enter, ExpressionSyntax expression, bool returnsValue, SyntaxToken semicolon)
    {
        StatementSyntax body = expression switch
        {
            // => throw ...; becomes a throw statement: "return throw" is not C#.
            ThrowExpressionSyntax thrown => SyntaxFactory.ThrowStatement(SyntaxFactory.Token(SyntaxKind.ThrowKeyword).WithTrailingTrivia(SyntaxFactory.Space), thrown.Expression, SyntaxFactory.Token(SyntaxKind.SemicolonToken)),
            _ when returnsValue => SyntaxFactory.ReturnStatement(SyntaxFactory.Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(SyntaxFactory.Space), expression, SyntaxFactory.Token(SyntaxKind.SemicolonToken)),
            _ => SyntaxFactory.ExpressionStatement(expression),
        };
        var block = SyntaxFactory.Block(enter, body);
        return block.WithCloseBraceToken(block.CloseBraceToken.WithTrailingTrivia(semicolon.TrailingTrivia));
    }

    private static BlockSyntax Prepend(StatementSyntax body, StatementSyntax first) => body is BlockSyntax block
        ? block.WithStatements(block.Statements.Insert(0, first))
        : SyntaxFactory.Block(first, body);
}
