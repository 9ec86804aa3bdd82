using System.Globalization;
using System.Text.Json;

namespace Scripting.Client;

/// <summary>The <c>params</c> of a query as JSON: null, booleans, integers, floats and strings.</summary>
internal static class QueryParameters
{
    public static JsonElement ToJson(IReadOnlyDictionary<string, object?> parameters)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in parameters)
            {
                writer.WritePropertyName(name);
                switch (value)
                {
                    case null: writer.WriteNullValue(); break;
                    case bool flag: writer.WriteBooleanValue(flag); break;
                    case string text: writer.WriteStringValue(text); break;
                    case long or int or short or sbyte: writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                    case ulong or uint or ushort or byte: writer.WriteNumberValue(Convert.ToUInt64(value, CultureInfo.InvariantCulture)); break;
                    case double or float or decimal: writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
                    default: throw new ArgumentException($"parameter '{name}' is a {value.GetType().Name}: a query parameter is null, a boolean, a number or a string", nameof(parameters));
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }
}
