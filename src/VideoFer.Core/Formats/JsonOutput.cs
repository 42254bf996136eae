using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoFer.Formats;

/// <summary>The one way VideoFer writes JSON (files, <c>--json</c> output, the data of its HTML pages): a number
/// that is NaN or infinite (a diverged loss, an empty class's score) becomes <c>null</c>, where System.Text.Json
/// would throw, and <c>null</c> reads back as NaN.</summary>
public static class JsonOutput
{
    /// <summary>Compact output with the properties' own names.</summary>
    public static JsonSerializerOptions Compact { get; } = With(new JsonSerializerOptions());

    /// <summary>Indented output with the properties' own names.</summary>
    public static JsonSerializerOptions Indented { get; } = With(new JsonSerializerOptions { WriteIndented = true });

    /// <summary><paramref name="options"/> (not yet used) with the non-finite converters added; returns it.</summary>
    public static JsonSerializerOptions With(JsonSerializerOptions options)
    {
        options.Converters.Add(new NonFiniteDouble());
        options.Converters.Add(new NonFiniteSingle());
        return options;
    }

    /// <summary><paramref name="value"/> as JSON (compact unless <paramref name="indented"/>).</summary>
    public static string Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.Serialize(value, indented ? Indented : Compact);

    sealed class NonFiniteDouble : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }

    sealed class NonFiniteSingle : JsonConverter<float>
    {
        public override bool HandleNull => true;

        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? float.NaN : reader.GetSingle();

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value)) writer.WriteNumberValue(value);
            else writer.WriteNullValue();
        }
    }
}
