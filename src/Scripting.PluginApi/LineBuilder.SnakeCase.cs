namespace Scripting.PluginApi;

/// <summary>The Python method names, so lines written for the Python engine compile unchanged.</summary>
public sealed partial class LineBuilder
{
    /// <inheritdoc cref="Tag"/>
    public LineBuilder tag(string key, object? value) => Tag(key, value);

    /// <inheritdoc cref="Int64Field"/>
    public LineBuilder int64_field(string key, long value) => Int64Field(key, value);

    /// <inheritdoc cref="UInt64Field(string, long)"/>
    public LineBuilder uint64_field(string key, long value) => UInt64Field(key, value);

    /// <inheritdoc cref="Float64Field"/>
    public LineBuilder float64_field(string key, double value) => Float64Field(key, value);

    /// <inheritdoc cref="StringField"/>
    public LineBuilder string_field(string key, object? value) => StringField(key, value);

    /// <inheritdoc cref="BoolField"/>
    public LineBuilder bool_field(string key, bool value) => BoolField(key, value);

    /// <inheritdoc cref="TimeNs"/>
    public LineBuilder time_ns(long nanoseconds) => TimeNs(nanoseconds);

    /// <inheritdoc cref="Build"/>
    public string build() => Build();
}
