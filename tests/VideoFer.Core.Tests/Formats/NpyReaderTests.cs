using System.Text.Json;
using VideoFer.Formats;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Formats;

/// <summary>Runs numpy once for the whole class: it writes the sample files into a shared temp folder.</summary>
public sealed class NumpySamples : IDisposable
{
    readonly TempDir _dir = new();

    public NumpySamples()
    {
        Meta = JsonDocument.Parse(Python.RunCode(NpyReaderTests.Writer, _dir.Path)).RootElement.Clone();
    }

    public JsonElement Meta { get; }
    public string File(string name) => _dir.Combine(name + ".npy");
    public void Dispose() => _dir.Dispose();
}

public class NpyReaderTests(NumpySamples samples) : IClassFixture<NumpySamples>
{
    // numpy writes every variant AffectNet copies were seen with, plus other dtypes, byte orders and format versions;
    // it also prints what each file holds, so the expectation comes from numpy, not from this test.
    internal const string Writer = """
import json, sys, numpy as np
from numpy.lib import format as fmt
out = sys.argv[1]
arrays = {
    "int64_scalar": np.array(3, dtype=np.int64),
    "int32_scalar": np.array(6, dtype=np.int32),
    "uint8_scalar": np.array(7, dtype=np.uint8),
    "bigendian_int": np.array(5, dtype=">i4"),
    "float32_value": np.array(-0.734, dtype=np.float32),
    "float64_value": np.array(0.1234567890123, dtype=np.float64),
    "half": np.array(0.5, dtype=np.float16),
    "bool": np.array(True),
    "unicode_scalar": np.array("4"),
    "unicode_padded": np.array(["2", "10"])[0:1].reshape(()),
    "bytes_scalar": np.array(b"1"),
    "one_element": np.array([2], dtype=np.int64),
    "landmarks": (np.arange(136, dtype=np.float32) * 1.5 - 20),
    "matrix": np.arange(12, dtype=np.int16).reshape(3, 4),
    "bigendian_f8": np.array([1.25, -2.5], dtype=">f8"),
}
meta = {}
for name, a in arrays.items():
    path = f"{out}/{name}.npy"
    np.save(path, a)
    meta[name] = {"shape": list(a.shape), "kind": a.dtype.kind,
                  "values": [str(v) if a.dtype.kind in "US" and not isinstance(v, bytes) else (v.decode() if isinstance(v, bytes) else float(v)) for v in a.reshape(-1).tolist()]}
with open(f"{out}/v2.npy", "wb") as fh:
    fmt.write_array(fh, np.array([7, 8, 9], dtype=np.int64), version=(2, 0))
meta["v2"] = {"shape": [3], "kind": "i", "values": [7.0, 8.0, 9.0]}
np.save(f"{out}/object.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
print(json.dumps(meta))
""";

    [Fact]
    public void Reads_what_numpy_writes()
    {
        var meta = samples.Meta;
        int checkedFiles = 0;
        foreach (var entry in meta.EnumerateObject())
        {
            var array = NpyReader.Read(samples.File(entry.Name));
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(shape, array.Shape);
            var values = entry.Value.GetProperty("values").EnumerateArray().ToList();
            Assert.Equal(values.Count, array.Count);
            bool isString = entry.Value.GetProperty("kind").GetString() is "U" or "S";
            for (int i = 0; i < values.Count; i++)
            {
                if (isString)
                    Assert.Equal(values[i].GetString(), array.Strings![i]);
                else
                    Assert.Equal(values[i].GetDouble(), array.Numbers![i]);
            }
            checkedFiles++;
        }
        Assert.Equal(16, checkedFiles);
    }

    [Fact]
    public void Pickled_object_arrays_are_refused_with_a_reason()
    {
        var e = Assert.Throws<VideoFerException>(() => NpyReader.Read(samples.File("object")));
        Assert.Contains("pickled Python objects", e.Message);
        Assert.StartsWith(samples.File("object"), e.Message);
    }

    [Fact]
    public void Integer_reading_accepts_numbers_and_number_strings()
    {
        Assert.Equal(3, NpyReader.Read(samples.File("int64_scalar")).AsInteger());
        Assert.Equal(4, NpyReader.Read(samples.File("unicode_scalar")).AsInteger());
        Assert.Equal(1, NpyReader.Read(samples.File("bytes_scalar")).AsInteger());
        Assert.Equal(2, NpyReader.Read(samples.File("one_element")).AsInteger());
        Assert.Null(NpyReader.Read(samples.File("float32_value")).AsInteger());
        Assert.Null(NpyReader.Read(samples.File("landmarks")).AsInteger());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(60)]
    public void Truncated_files_are_user_errors(int keep)
    {
        var bytes = File.ReadAllBytes(samples.File("landmarks"));
        var cut = bytes[..Math.Min(keep == 60 ? bytes.Length - 4 : keep, bytes.Length)];
        var e = Assert.Throws<VideoFerException>(() => NpyReader.Parse(cut, "x.npy"));
        Assert.StartsWith("x.npy: ", e.Message);
    }
}
