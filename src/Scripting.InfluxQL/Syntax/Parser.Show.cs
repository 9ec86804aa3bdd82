using System.Globalization;

namespace Scripting.InfluxQL.Syntax;

/// <summary>The SHOW statements and the clauses they share with SELECT (sources, WHERE, LIMIT, OFFSET).</summary>
internal sealed partial class Parser
{
    private Statement Show()
    {
        var what = Take();
        if (what.Is("DATABASES"))
        {
            return new ShowDatabasesStatement();
        }

        if (what.Is("RETENTION"))
        {
            Keyword("POLICIES");
            return new ShowRetentionPoliciesStatement(On());
        }

        if (what.Is("MEASUREMENTS"))
        {
            var database = On();
            string? name = null;
            string? regex = null;
            if (Peek().Is("WITH"))
            {
                Take();
                Keyword("MEASUREMENT");
                var op = Take();
                if (op.IsOperator("=~"))
                {
                    regex = Regex();
                }
                else if (op.IsOperator("="))
                {
                    var value = Peek(regexAllowed: true);
                    if (value.Kind == TokenKind.Regex)
                    {
                        regex = Regex();
                    }
                    else
                    {
                        name = Identifier();
                    }
                }
                else
                {
                    throw Expected(op, "=, =~");
                }
            }

            var condition = Where();
            var (limit, offset) = LimitOffset();
            return new ShowMeasurementsStatement(database, name, regex, condition, limit, offset);
        }

        if (what.Is("TAG"))
        {
            var kind = Take();
            if (kind.Is("KEYS"))
            {
                var database = On();
                var sources = OptionalFrom();
                var condition = Where();
                var (limit, offset) = LimitOffset();
                return new ShowTagKeysStatement(database, sources, condition, limit, offset);
            }

            if (kind.Is("VALUES"))
            {
                var database = On();
                var sources = OptionalFrom();
                Keyword("WITH");
                Keyword("KEY");
                var op = Take();
                var keys = new List<string>();
                string? keyRegex = null;
                switch (op.Text)
                {
                    case "=" or "!=" or "<>" when op.Kind == TokenKind.Operator:
                        keys.Add(Identifier());
                        break;
                    case "=~" or "!~" when op.Kind == TokenKind.Operator:
                        keyRegex = Regex();
                        break;
                    default:
                        if (!op.Is("IN"))
                        {
                            throw Expected(op, "=, !=, =~, !~, IN");
                        }

                        Operator("(");
                        do
                        {
                            keys.Add(Identifier());
                        }
                        while (TakeIf(","));
                        Operator(")");
                        break;
                }

                var condition = Where();
                var (limit, offset) = LimitOffset();
                return new ShowTagValuesStatement(database, sources, op.Is("IN") ? "IN" : op.Text, keys, keyRegex, condition, limit, offset);
            }

            throw Expected(kind, "KEYS, VALUES");
        }

        if (what.Is("FIELD"))
        {
            Keyword("KEYS");
            var database = On();
            var sources = OptionalFrom();
            var (limit, offset) = LimitOffset();
            return new ShowFieldKeysStatement(database, sources, limit, offset);
        }

        if (what.Is("SERIES"))
        {
            var database = On();
            var sources = OptionalFrom();
            var condition = Where();
            var (limit, offset) = LimitOffset();
            return new ShowSeriesStatement(database, sources, condition, limit, offset);
        }

        if (what.Is("CONTINUOUS") || what.Is("USERS") || what.Is("GRANTS") || what.Is("SHARDS") || what.Is("SHARD") || what.Is("STATS")
            || what.Is("DIAGNOSTICS") || what.Is("SUBSCRIPTIONS") || what.Is("QUERIES"))
        {
            throw InfluxQlErrors.Invalid($"This feature is not implemented: SHOW {what.Text.ToUpperInvariant()}");
        }

        throw Expected(what, "CONTINUOUS, DATABASES, DIAGNOSTICS, FIELD, GRANTS, MEASUREMENT, MEASUREMENTS, QUERIES, RETENTION, SERIES, SHARD, SHARDS, STATS, SUBSCRIPTIONS, TAG, USERS");
    }

    private string? On()
    {
        if (!Peek().Is("ON"))
        {
            return null;
        }

        Take();
        return Identifier();
    }

    private List<Source> OptionalFrom()
    {
        if (!Peek().Is("FROM"))
        {
            return [];
        }

        Take();
        return Sources();
    }

    private Expr? Where()
    {
        if (!Peek().Is("WHERE"))
        {
            return null;
        }

        Take();
        return Expression();
    }

    private (long? Limit, long? Offset) LimitOffset()
    {
        long? limit = null;
        long? offset = null;
        if (Peek().Is("LIMIT"))
        {
            Take();
            limit = Count("LIMIT");
        }

        if (Peek().Is("OFFSET"))
        {
            Take();
            offset = Count("OFFSET");
        }

        return (limit, offset);
    }

    private long Count(string clause)
    {
        var token = Take();
        return token.Kind == TokenKind.Integer && long.TryParse(token.Text, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw InfluxQlErrors.Invalid($"error parsing query: found {token.Found}, expected integer at line {token.Line}, char {token.Char}");
    }

    private List<Source> Sources()
    {
        var sources = new List<Source>();
        do
        {
            if (Peek().IsOperator("("))
            {
                Take();
                Keyword("SELECT");
                sources.Add(new SubquerySource(Select()));
                Operator(")");
                continue;
            }

            var parts = new List<(string? Name, string? Regex)>();
            do
            {
                var token = Peek(regexAllowed: true);
                if (token.Kind == TokenKind.Regex)
                {
                    Take(regexAllowed: true);
                    parts.Add((null, token.Text));
                }
                else if (token.IsOperator("."))
                {
                    parts.Add((null, null)); // db..m: the default retention policy
                    continue;
                }
                else
                {
                    parts.Add((Identifier(), null));
                }
            }
            while (TakeIf("."));

            if (parts.Count > 3)
            {
                throw InfluxQlErrors.Invalid("error parsing query: a source is at most database.retention_policy.measurement");
            }

            var measurement = parts[^1];
            var database = parts.Count == 3 ? parts[0].Name : null;
            var policy = parts.Count >= 2 ? parts[^2].Name : null;
            sources.Add(new MeasurementSource(database, policy, measurement.Name, measurement.Regex));
        }
        while (TakeIf(","));

        return sources;
    }

    /// <summary>Dotted identifiers (an INTO target).</summary>
    private List<string> Path()
    {
        var parts = new List<string> { Identifier() };
        while (TakeIf("."))
        {
            parts.Add(Identifier());
        }

        return parts;
    }
}
