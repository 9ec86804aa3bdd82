namespace Scripting.Core.Catalog;

/// <summary>Name rules of InfluxDB 3 (reference section 6.3).</summary>
public static class Names
{
    public const int MaxDatabaseNameLength = 511;

    /// <summary>Returns null when <paramref name="name"/> is a valid database name, else the reason.</summary>
    public static string? ValidateDatabaseName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "db name cannot be empty";
        }

        if (name.Length > MaxDatabaseNameLength)
        {
            return $"db name too long: max {MaxDatabaseNameLength}";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            return $"db name '{name}' did not start with a number or letter";
        }

        var slashes = 0;
        foreach (var c in name)
        {
            if (c == '/')
            {
                slashes++;
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return $"invalid character in database or rp name '{name}': must be ASCII, containing only letters, numbers, underscores, or hyphens";
            }
        }

        if (slashes > 1 || name.EndsWith('/'))
        {
            return $"invalid database name '{name}': at most one '/' (db/rp) and not at the end";
        }

        return null;
    }

    /// <summary>Table and column names: non-empty, no control characters, at most 255 bytes.</summary>
    public static string? ValidateIdentifier(string kind, string name)
    {
        if (name.Length == 0)
        {
            return $"{kind} name cannot be empty";
        }

        if (name.Length > 255)
        {
            return $"{kind} name '{name[..40]}...' is too long: max 255 characters";
        }

        if (name.Any(char.IsControl))
        {
            return $"{kind} name '{name}' contains a control character";
        }

        return null;
    }

    /// <summary>Trigger and token names: at most 255 characters, none of them a control character or '/'.</summary>
    public static bool IsValidObjectName(string? name) =>
        name is not null && name.Length is > 0 and <= 255 && !name.Any(char.IsControl) && !name.Contains('/', StringComparison.Ordinal);

    /// <summary>The text with control characters shown as <c>\u001b</c> escapes, for names stored before they were validated.</summary>
    public static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) : text;
}
