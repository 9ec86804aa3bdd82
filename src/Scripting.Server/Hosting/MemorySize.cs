using System.Globalization;
using System.Text.RegularExpressions;

namespace Scripting.Server.Hosting;

/// <summary>Memory sizes as flags give them: 512MiB, 2GB, 1.5GiB, 1048576 (bytes), 40% (of the memory the process may use), none.</summary>
public static partial class MemorySize
{
    /// <returns>Bytes; null for "none".</returns>
    /// <exception cref="ArgumentException">The text is not a size; the message names the flag and the forms it takes.</exception>
    public static long? Parse(string text, string flag)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = SizePattern().Match(trimmed);
        if (!match.Success || !double.TryParse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            throw new ArgumentException($"invalid {flag} '{text}': expected a size such as 512MiB, 2GB or 1048576, a share such as 40%, or none");
        }

        var unit = match.Groups["unit"].Value.ToUpperInvariant();
        if (unit == "%")
        {
            return number > 100
                ? throw new ArgumentException($"invalid {flag} '{text}': a share of memory is at most 100%")
                : (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * number / 100);
        }

        double scale = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" => 1e3,
            "KIB" => 1024,
            "M" or "MB" => 1e6,
            "MIB" => 1024 * 1024,
            "G" or "GB" => 1e9,
            "GIB" => 1024 * 1024 * 1024,
            "T" or "TB" => 1e12,
            _ => Math.Pow(1024, 4),
        };
        return (long)(number * scale);
    }

    [GeneratedRegex(@"^(?<number>\d+(\.\d+)?)\s*(?<unit>%|B|K|KB|KIB|M|MB|MIB|G|GB|GIB|T|TB|TIB)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();
}
