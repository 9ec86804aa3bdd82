using System.Text;
using System.Text.Json.Nodes;

namespace Scripting.Query.Syntax;

/// <summary>
/// The chrono formats InfluxDB 3's time functions take (<c>to_char</c>, <c>to_timestamp(text, format...)</c>):
/// the specifiers the store's <c>strftime</c>/<c>strptime</c> share are passed on, the others are rendered
/// piece by piece (<c>%e</c>, <c>%s</c>, <c>%.f</c>, <c>%.3f</c>, <c>%c</c>, <c>%+</c>); a specifier chrono
/// does not have is refused as InfluxDB refuses it.
/// </summary>
internal static class ChronoFormat
{
    private const string Shared = "YmdHMSyCbBhaAjIpwuUWGgVZz%";

    /// <summary>The text of <paramref name="timestamp"/> in <paramref name="format"/>.</summary>
    public static JsonObject Render(JsonObject timestamp, string format, JsonNode? location)
    {
        var pieces = new List<JsonObject>();
        var plain = new StringBuilder();
        void Flush()
        {
            if (plain.Length > 0)
            {
                pieces.Add(Nodes.Function("strftime", location, Copy(timestamp), Nodes.Text(plain.ToString(), location?.DeepClone())));
                plain.Clear();
            }
        }

        void Piece(JsonObject piece)
        {
            Flush();
            pieces.Add(piece);
        }

        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                plain.Append(format[i] == '%' ? "%%" : format[i]);
                continue;
            }

            var (specifier, length) = Specifier(format, i);
            i += length - 1;
            switch (specifier)
            {
                case var s when s.Length == 2 && Shared.Contains(s[1], StringComparison.Ordinal):
                    plain.Append(s);
                    break;
                case "%-d" or "%-m" or "%-H" or "%-M" or "%-S" or "%-I" or "%-j" or "%-y":
                    plain.Append(specifier);
                    break;
                case "%T":
                    plain.Append("%H:%M:%S");
                    break;
                case "%D":
                    plain.Append("%m/%d/%y");
                    break;
                case "%F":
                    plain.Append("%Y-%m-%d");
                    break;
                case "%R":
                    plain.Append("%H:%M");
                    break;
                case "%e":
                    Piece(Nodes.Function("lpad", location, Nodes.Function("strftime", location, Copy(timestamp), Nodes.Text("%-d", location?.DeepClone())), Nodes.Integer(2, location), Nodes.Text(" ", location?.DeepClone())));
                    break;
                case "%c":
                    plain.Append("%a %b ");
                    Piece(Nodes.Function("lpad", location, Nodes.Function("strftime", location, Copy(timestamp), Nodes.Text("%-d", location?.DeepClone())), Nodes.Integer(2, location), Nodes.Text(" ", location?.DeepClone())));
                    plain.Append(" %H:%M:%S %Y");
                    break;
                case "%s":
                    Piece(Nodes.Cast(Nodes.Function("df_unixtime", location, Copy(timestamp)), "VARCHAR"));
                    break;
                case "%.f":
                    Piece(Nodes.Function("df_fraction", location, Copy(timestamp)));
                    break;
                case "%+":
                    plain.Append("%Y-%m-%dT%H:%M:%S");
                    Piece(Nodes.Function("df_fraction", location, Copy(timestamp)));
                    plain.Append("+00:00");
                    break;
                case "%.3f" or "%3f" or "%.6f" or "%6f" or "%.9f" or "%9f" or "%f":
                    var dot = specifier.StartsWith("%.", StringComparison.Ordinal) ? "." : string.Empty;
                    var digits = specifier[^2] switch { '3' => "%g", '6' => "%f", _ => "%n" };
                    plain.Append(dot);
                    Piece(Nodes.Function("strftime", location, Nodes.Cast(Copy(timestamp), "TIMESTAMP_NS"), Nodes.Text(digits, location?.DeepClone())));
                    break;
                default:
                    throw SelectTree.Refuse($"Execution error: Cast error: Format error: the format '{format}' has a specifier chrono does not know or that is not supported here: {specifier}");
            }
        }

        Flush();
        return pieces.Count == 1 ? pieces[0] : Nodes.Function("concat", location, [.. pieces]);
    }

    /// <summary>The timestamp <paramref name="text"/> read with <paramref name="format"/>, NULL when it does not match.</summary>
    public static JsonObject Parse(JsonObject text, string format, JsonNode? location)
    {
        if (format == "%+")
        {
            return Nodes.Function("df_try_timestamp", location, text);
        }

        var pattern = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                pattern.Append(format[i]);
                continue;
            }

            var (specifier, length) = Specifier(format, i);
            i += length - 1;
            pattern.Append(specifier switch
            {
                var s when s.Length == 2 && Shared.Contains(s[1], StringComparison.Ordinal) => s,
                "%-d" or "%-m" or "%-H" or "%-M" or "%-S" or "%-I" or "%-j" or "%-y" => specifier,
                "%e" => "%-d",
                "%T" => "%H:%M:%S",
                "%D" => "%m/%d/%y",
                "%F" => "%Y-%m-%d",
                "%R" => "%H:%M",
                "%c" => "%a %b %-d %H:%M:%S %Y",
                "%.f" or "%.9f" => ".%n",
                "%.3f" => ".%g",
                "%.6f" => ".%f",
                "%f" or "%9f" => "%n",
                "%3f" => "%g",
                "%6f" => "%f",
                "%s" => "%s",
                _ => null,
            } ?? throw SelectTree.Refuse($"Execution error: Error parsing timestamp using format '{format}': the specifier {specifier} is not supported here"));
        }

        return Nodes.Cast(Nodes.Function("try_strptime", location, text, Nodes.Text(pattern.ToString(), location?.DeepClone())), "TIMESTAMP_NS");
    }

    private static (string Specifier, int Length) Specifier(string format, int start)
    {
        var end = start + 1;
        while (end < format.Length && (format[end] is '.' or '-' or '_' or '0' || char.IsAsciiDigit(format[end])))
        {
            end++;
        }

        return end < format.Length ? (format[start..(end + 1)], end + 1 - start) : (format[start..], format.Length - start);
    }

    private static JsonObject Copy(JsonObject node) => node.DeepClone().AsObject();
}
