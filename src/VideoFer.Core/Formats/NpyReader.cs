using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace VideoFer.Formats;

/// <summary>Reads NumPy <c>.npy</c> files (format versions 1.0 to 3.0) without Python: a magic string,
/// a little-endian header length, a Python-dict header with descr/fortran_order/shape, then raw
/// data. Enough for AffectNet's per-image annotations; pickled object arrays are refused.</summary>
public static partial class NpyReader
{
    static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    const int MaxHeaderBytes = 1 << 16;
    const long MaxElements = 1 << 24; // annotations are tiny; this only stops garbage from allocating gigabytes

    public static NpyArray Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VideoFerException($"{path}: cannot read the file: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses file bytes; <paramref name="path"/> only names the source in messages.</summary>
    public static NpyArray Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw Bad(path, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
        int major = bytes[6];
        int headerStart = major == 1 ? 10 : 12;
        if (major is < 1 or > 3 || bytes.Length < headerStart)
            throw Bad(path, $"unsupported .npy format version {major}.{bytes[7]}");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (headerLength > MaxHeaderBytes || headerStart + headerLength > bytes.Length)
            throw Bad(path, "the .npy header is truncated");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes.Slice(headerStart, (int)headerLength));
        var (descr, fortran, shape) = ParseHeader(header, path);
        var data = bytes[(headerStart + (int)headerLength)..];

        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > MaxElements)
                throw Bad(path, $"the array is too large ({string.Join('x', shape)})");
        }
        var dtype = Dtype.Parse(descr) ?? throw Bad(path, descr.Contains('O')
            ? "holds pickled Python objects, which VideoFer cannot read; re-save it with a numeric or string dtype"
            : $"unsupported dtype '{descr}'");
        if (count * dtype.Size > data.Length)
            throw Bad(path, $"the data is truncated: {count} elements of '{descr}' need {count * dtype.Size} bytes, the file has {data.Length}");
        _ = fortran; // element order matters only for 2-D and larger arrays, which VideoFer reads flat

        if (dtype.Kind is 'U' or 'S')
        {
            var strings = new string[count];
            for (int i = 0; i < count; i++)
                strings[i] = dtype.ReadString(data.Slice(i * dtype.Size, dtype.Size));
            return new NpyArray(shape, null, strings);
        }
        var numbers = new double[count];
        for (int i = 0; i < count; i++)
            numbers[i] = dtype.ReadNumber(data.Slice(i * dtype.Size, dtype.Size));
        return new NpyArray(shape, numbers, null);
    }

    static (string Descr, bool Fortran, int[] Shape) ParseHeader(string header, string path)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw Bad(path, $"the .npy header is not a dict with descr, fortran_order and shape: {Formats.TextLines.Quote(header.Trim(), 80)}");
        var dims = new List<int>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var digits = part.TrimEnd('L'); // Python 2 wrote long integers as 3L
            if (!InvariantNumbers.TryInt(digits, out int d) || d < 0)
                throw Bad(path, $"the .npy shape has a bad dimension '{part}'");
            dims.Add(d);
        }
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims.ToArray());
    }

    [GeneratedRegex("""['"]descr['"]\s*:\s*['"]([^'"]*)['"]""")]
    private static partial Regex DescrPattern();

    [GeneratedRegex("""['"]fortran_order['"]\s*:\s*(True|False)""")]
    private static partial Regex FortranPattern();

    [GeneratedRegex("""['"]shape['"]\s*:\s*\(([^)]*)\)""")]
    private static partial Regex ShapePattern();

    static VideoFerException Bad(string path, string problem) => VideoFerException.InFile(path, problem);

    /// <summary>A NumPy array-protocol type string such as <c>&lt;i8</c>, <c>|u1</c>, <c>&gt;f4</c>, <c>&lt;U3</c>.</summary>
    sealed record Dtype(char Kind, int Size, bool BigEndian)
    {
        public static Dtype? Parse(string descr)
        {
            if (descr.Length < 2)
                return null;
            int i = descr[0] is '<' or '>' or '|' or '=' ? 1 : 0;
            bool big = descr[0] == '>';
            if (i >= descr.Length || !int.TryParse(descr.AsSpan(i + 1), out int size) || size <= 0)
                return null;
            char kind = descr[i];
            return kind switch
            {
                'b' when size == 1 => new Dtype(kind, 1, big),
                'i' or 'u' when size is 1 or 2 or 4 or 8 => new Dtype(kind, size, big),
                'f' when size is 2 or 4 or 8 => new Dtype(kind, size, big),
                'S' when size <= 4096 => new Dtype(kind, size, big),
                'U' when size <= 4096 => new Dtype(kind, size * 4, big), // UTF-32 code units
                _ => null,
            };
        }

        public double ReadNumber(ReadOnlySpan<byte> raw)
        {
            Span<byte> b = stackalloc byte[Size];
            raw.CopyTo(b);
            if (BigEndian != !BitConverter.IsLittleEndian)
                b.Reverse();
            return (Kind, Size) switch
            {
                ('b', _) => b[0] != 0 ? 1 : 0,
                ('i', 1) => (sbyte)b[0],
                ('i', 2) => BitConverter.ToInt16(b),
                ('i', 4) => BitConverter.ToInt32(b),
                ('i', 8) => BitConverter.ToInt64(b),
                ('u', 1) => b[0],
                ('u', 2) => BitConverter.ToUInt16(b),
                ('u', 4) => BitConverter.ToUInt32(b),
                ('u', 8) => BitConverter.ToUInt64(b),
                ('f', 2) => (double)BitConverter.ToHalf(b),
                ('f', 4) => BitConverter.ToSingle(b),
                _ => BitConverter.ToDouble(b),
            };
        }

        public string ReadString(ReadOnlySpan<byte> raw)
        {
            // NumPy pads with NULs; U is UTF-32 in the array's byte order, S is raw bytes.
            string text;
            if (Kind == 'S')
                text = Encoding.Latin1.GetString(raw);
            else
            {
                var sb = new StringBuilder();
                for (int i = 0; i + 4 <= raw.Length; i += 4)
                {
                    uint cp = BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(raw[i..]) : BinaryPrimitives.ReadUInt32LittleEndian(raw[i..]);
                    if (cp == 0)
                        break;
                    sb.Append(Rune.IsValid(cp) ? new Rune(cp).ToString() : "\uFFFD");
                }
                text = sb.ToString();
            }
            int end = text.IndexOf('\0');
            return end < 0 ? text : text[..end];
        }
    }
}
