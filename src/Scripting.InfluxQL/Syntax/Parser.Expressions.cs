using System.Globalization;

namespace Scripting.InfluxQL.Syntax;

/// <summary>Expressions, by InfluxQL's precedence: OR, AND, comparisons, + - | ^, * / % &amp;, unary, primary.</summary>
internal sealed partial class Parser
{
    // Expressions, by precedence: OR, AND, comparisons, + - | ^, * / % &, unary, primary.
    private Expr Expression() => Or();

    private Expr Or()
    {
        var left = And();
        while (Peek().Is("OR"))
        {
            Take();
            left = new Binary("OR", left, And());
        }

        return left;
    }

    private Expr And()
    {
        var left = Comparison();
        while (Peek().Is("AND"))
        {
            Take();
            left = new Binary("AND", left, Comparison());
        }

        return left;
    }

    private Expr Comparison()
    {
        var left = Additive();
        while (Peek() is { Kind: TokenKind.Operator, Text: "=" or "!=" or "<>" or "<" or "<=" or ">" or ">=" or "=~" or "!~" } op)
        {
            Take();
            var right = op.Text is "=~" or "!~" ? RegexOperand() : Additive();
            left = new Binary(op.Text == "<>" ? "!=" : op.Text, left, right);
        }

        return left;
    }

    private Expr RegexOperand()
    {
        var token = Peek(regexAllowed: true);
        if (token.Kind == TokenKind.Regex)
        {
            Take(regexAllowed: true);
            return new RegexLiteral(token.Text);
        }

        if (token.Kind == TokenKind.BoundParameter)
        {
            Take();
            return new BoundParameter(token.Text);
        }

        throw Expected(token, "regex");
    }

    private Expr Additive()
    {
        var left = Multiplicative();
        while (Peek() is { Kind: TokenKind.Operator, Text: "+" or "-" or "|" or "^" } op)
        {
            Take();
            left = new Binary(op.Text, left, Multiplicative());
        }

        return left;
    }

    private Expr Multiplicative()
    {
        var left = Unary();
        while (Peek() is { Kind: TokenKind.Operator, Text: "*" or "/" or "%" or "&" } op)
        {
            Take();
            left = new Binary(op.Text, left, Unary());
        }

        return left;
    }

    private Expr Unary()
    {
        if (Peek().IsOperator("-") || Peek().IsOperator("+"))
        {
            var sign = Take();
            var operand = Unary();
            if (sign.Text == "+")
            {
                return operand;
            }

            return operand switch
            {
                IntegerLiteral i => new IntegerLiteral(-i.Value),
                NumberLiteral n => new NumberLiteral(-n.Value),
                DurationLiteral d => new DurationLiteral(-d.Nanoseconds, "-" + d.Text),
                _ => new Binary("*", new IntegerLiteral(-1), operand),
            };
        }

        return Primary();
    }

    private Expr Primary()
    {
        var token = Peek();
        switch (token.Kind)
        {
            case TokenKind.Operator when token.Text == "*":
                Take();
                return new Wildcard(Cast());
            case TokenKind.Operator when token.Text == "(":
                Take();
                var inner = Expression();
                Operator(")");
                return new Paren(inner);
            case TokenKind.String:
                Take();
                return new StringLiteral(token.Text);
            case TokenKind.Integer:
                Take();
                return long.TryParse(token.Text, CultureInfo.InvariantCulture, out var integer)
                    ? new IntegerLiteral(integer)
                    : new NumberLiteral(double.Parse(token.Text, CultureInfo.InvariantCulture));
            case TokenKind.Number:
                Take();
                return new NumberLiteral(double.Parse(token.Text, CultureInfo.InvariantCulture));
            case TokenKind.Duration:
                Take();
                return new DurationLiteral(Nanoseconds(token), token.Text);
            case TokenKind.BoundParameter:
                Take();
                return new BoundParameter(token.Text);
            case TokenKind.Keyword when token.Is("TRUE") || token.Is("FALSE"):
                Take();
                return new BooleanLiteral(token.Is("TRUE"));
            case TokenKind.Identifier:
                Take();
                if (Peek().IsOperator("("))
                {
                    return CallOf(token.Text);
                }

                return new VarRef(token.Text, Cast());
        }

        var regex = Peek(regexAllowed: true);
        if (regex.Kind == TokenKind.Regex)
        {
            Take(regexAllowed: true);
            return new RegexLiteral(regex.Text);
        }

        throw Expected(token, ExpressionStart);
    }

    private Call CallOf(string name)
    {
        Operator("(");
        var arguments = new List<Expr>();
        if (!Peek().IsOperator(")"))
        {
            do
            {
                arguments.Add(Expression());
            }
            while (TakeIf(","));
        }

        Operator(")");
        return new Call(name.ToLowerInvariant(), arguments);
    }

    private string? Cast()
    {
        if (!Peek().IsOperator("::"))
        {
            return null;
        }

        Take();
        var type = Take();
        var name = type.Text.ToLowerInvariant();
        return name is "float" or "integer" or "unsigned" or "string" or "boolean" or "field" or "tag"
            ? name
            : throw Expected(type, "float, integer, unsigned, string, boolean, field, tag");
    }
}
