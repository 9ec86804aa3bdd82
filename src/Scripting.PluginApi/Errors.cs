namespace Scripting.PluginApi;

/// <summary>Base of the errors the plugin API raises, as <c>InfluxDBError</c> in Python.</summary>
public class InfluxDBError : Exception
{
    /// <summary>Creates the error with its message.</summary>
    public InfluxDBError(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with no message.</summary>
    public InfluxDBError()
    {
    }

    /// <summary>Creates the error with its message and cause.</summary>
    public InfluxDBError(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The measurement name given to <see cref="LineBuilder"/> is not valid.</summary>
public sealed class InvalidMeasurementError(string message) : InfluxDBError(message);

/// <summary>A tag or field key is empty or contains a space, comma or equals sign.</summary>
public sealed class InvalidKeyError(string message) : InfluxDBError(message);

/// <summary>The line cannot be built, for instance because it has no field.</summary>
public sealed class InvalidLineError(string message) : InfluxDBError(message);

/// <summary>A query from a plugin failed; the message names the database and the query.</summary>
public sealed class QueryError(string message) : InfluxDBError(message);
