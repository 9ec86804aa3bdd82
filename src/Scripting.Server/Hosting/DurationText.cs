using System.Globalization;

namespace Scripting.Server.Hosting;

/// <summary>Durations as flags and request parameters give them: 500ms, 30s, 5m, 1h, or a number of seconds.</summary>
public static class DurationText
{
    /// <returns>The duration, or null when the text is not a positive duration of at most <paramref name="most"/>.</returns>
    public static TimeSpan? Parse(string text, TimeSpan most)
    {
        var trimmed = text.Trim();
        var (number, scale) = trimmed.EndsWith("ms", StringComparison.Ordinal) ? (trimmed[..^2], 0.001)
            : trimmed.EndsWith('s') ? (trimmed[..^1], 1.0)
            : trimmed.EndsWith('m') ? (trimmed[..^1], 60.0)
            : trimmed.EndsWith('h') ? (trimmed[..^1], 3600.0)
            : (trimmed, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value * scale <= most.TotalSeconds
            ? TimeSpan.FromSeconds(value * scale)
            : null;
    }
}
