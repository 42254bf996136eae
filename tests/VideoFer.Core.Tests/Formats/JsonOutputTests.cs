using System.Text.Json;
using VideoFer.Formats;

namespace VideoFer.Core.Tests.Formats;

/// <summary>NaN and infinities are written as null (System.Text.Json alone throws), and read back as NaN.</summary>
public class JsonOutputTests
{
    sealed record Scores(double Accuracy, float Loss, double? Missing, double[] Curve);

    [Fact]
    public void NonFiniteNumbersBecomeNullAndReadBackAsNaN()
    {
        var value = new Scores(double.NaN, float.PositiveInfinity, double.NegativeInfinity, [1.5, double.NaN, 2]);
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(value));
        string json = JsonOutput.Serialize(value);
        Assert.Equal("""{"Accuracy":null,"Loss":null,"Missing":null,"Curve":[1.5,null,2]}""", json);
        var back = JsonSerializer.Deserialize<Scores>(json, JsonOutput.Compact)!;
        Assert.True(double.IsNaN(back.Accuracy));
        Assert.True(float.IsNaN(back.Loss));
        Assert.Null(back.Missing);
        Assert.True(double.IsNaN(back.Curve[1]));
        Assert.Equal(2, back.Curve[2]);
    }

    [Fact]
    public void AnonymousAndBoxedNumbersAreCoveredToo()
    {
        object boxed = double.NaN;
        Assert.Equal("""{"a":null,"b":[null,3]}""", JsonOutput.Serialize(new { a = boxed, b = new object[] { float.NaN, 3 } }));
        Assert.Contains("\n", JsonOutput.Serialize(new { a = 1 }, indented: true));
    }
}
