using System.Globalization;
using System.Text;
using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;

namespace VideoFer.Tests.Fuzz;

/// <summary>Random bytes and mutated valid files for the valence-arousal, action unit and multi-task
/// annotation parsers, strict and lenient: each input parses or fails with a <see cref="VideoFerException"/>,
/// never another exception. Seeded, so a failure reproduces.</summary>
public class AbawTaskParserFuzzTests
{
    const int CasesPerParser = 3000;

    static TextReader Text(byte[] bytes) => new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    static readonly ReadOptions Lenient = new() { Lenient = true, Warning = _ => { } };

    static readonly string[] Aus = ["AU1", "AU2", "AU4", "AU6", "AU7", "AU10", "AU12", "AU15", "AU23", "AU24", "AU25", "AU26"];

    static readonly (string Name, Func<Random, byte[]> Valid, Action<byte[], bool> Parse)[] Parsers =
    [
        ("va txt", ValidVa, (b, lenient) =>
        {
            using var f = new ValenceArousalFile(Text(b), "v.txt", lenient ? Lenient : ReadOptions.Strict);
            f.ReadAll();
        }),
        ("au txt", ValidAu, (b, lenient) =>
        {
            using var f = new ActionUnitFile(Text(b), "a.txt", lenient ? Lenient : ReadOptions.Strict);
            f.ReadAll();
        }),
        ("au txt of an edition", ValidAu, (b, lenient) =>
        {
            using var f = new ActionUnitFile(Text(b), "a.txt", lenient ? Lenient : ReadOptions.Strict, Aus, "the 2021 AU list");
            f.ReadAll();
        }),
        ("multi-task txt", ValidMultiTask, (b, lenient) =>
            MultiTaskAnnotationFile.Parse(Text(b), "m.txt", lenient ? Lenient : ReadOptions.Strict, lenient ? null : Aus)),
    ];

    public static TheoryData<string> ParserNames => new(Parsers.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(ParserNames))]
    public void Random_and_mutated_input_parses_or_gives_a_user_error(string parser)
    {
        var (name, valid, parse) = Parsers.Single(p => p.Name == parser);
        var r = new Random(name.Length * 7919 + name[0] + 17);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < CasesPerParser; i++)
        {
            byte[] input = (i % 4) switch
            {
                0 => RandomBytes(r),
                1 => valid(r),
                _ => Mutate(r, valid(r)),
            };
            foreach (bool lenient in new[] { false, true })
            {
                try
                {
                    parse(input, lenient);
                    parsed++;
                }
                catch (VideoFerException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"{name}, case {i}, lenient={lenient}: {e.GetType().Name}: {e.Message}\ninput (base64): {Convert.ToBase64String(input)}");
                }
            }
        }
        // Both outcomes must occur, or the generator is not exercising the parser.
        Assert.True(parsed > CasesPerParser / 10, $"{name}: only {parsed} inputs parsed");
        Assert.True(rejected > CasesPerParser / 10, $"{name}: only {rejected} inputs rejected");
    }

    [Fact]
    public void Valid_samples_parse_strictly()
    {
        var r = new Random(7);
        foreach (var (name, valid, parse) in Parsers)
            for (int i = 0; i < 200; i++)
            {
                var input = valid(r);
                var e = Record.Exception(() => parse(input, false));
                Assert.True(e == null, $"{name}: a valid sample was rejected: {e?.Message}\n{Encoding.UTF8.GetString(input)}");
            }
    }

    static byte[] RandomBytes(Random r)
    {
        var bytes = new byte[r.Next(0, 300)];
        r.NextBytes(bytes);
        const string alphabet = "0123456789-,.\n\r /_AUvalencearousalexpressionimagejpg5";
        if (r.Next(3) == 0)
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] = (byte)alphabet[bytes[i] % alphabet.Length];
        return bytes;
    }

    static readonly string[] Tokens =
        ["-1", "-5", "", ",", "\r", "\n", "\r\n", "\uFEFF", "99999999999", "1e309", "NaN", "-Infinity", "1.0000001", "2", "AU", "AU0", "AU99999999999",
         " ", "\0", "/", "00000.jpg", "999999.jpg", "\u00e9", "valence", "-5.0", "0x10", "1,5"];

    static byte[] Mutate(Random r, byte[] input)
    {
        var bytes = new List<byte>(input);
        int edits = r.Next(1, 5);
        for (int e = 0; e < edits; e++)
        {
            int at = bytes.Count == 0 ? 0 : r.Next(bytes.Count);
            switch (r.Next(6))
            {
                case 0 when bytes.Count > 0: bytes[at] = (byte)r.Next(256); break;
                case 1 when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(r.Next(1, 8), bytes.Count - at)); break;
                case 2: bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[r.Next(Tokens.Length)])); break;
                case 3 when bytes.Count > 0: bytes.RemoveRange(at, bytes.Count - at); break;
                case 4 when bytes.Count > 0: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(r.Next(1, 30), bytes.Count - at))); break;
                default: if (bytes.Count > 0) bytes[at] ^= (byte)(1 << r.Next(8)); break;
            }
        }
        return bytes.ToArray();
    }

    static byte[] Lines(Random r, IEnumerable<string> lines)
    {
        var nl = r.Next(2) == 0 ? "\n" : "\r\n";
        var text = string.Join(nl, lines) + (r.Next(2) == 0 ? nl : "");
        var bytes = Encoding.UTF8.GetBytes(text);
        return r.Next(4) == 0 ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes;
    }

    static string Va(Random r) => r.Next(6) == 0 ? "-5" : (r.NextDouble() * 2 - 1).ToString("0.###", CultureInfo.InvariantCulture);

    static string AuRow(Random r) =>
        r.Next(6) == 0 ? string.Join(',', Aus.Select(_ => "-1")) : string.Join(',', Aus.Select(_ => r.Next(2)));

    static byte[] ValidVa(Random r) =>
        Lines(r, Enumerable.Range(0, r.Next(0, 40)).Select(_ => $"{Va(r)},{Va(r)}").Prepend("valence,arousal"));

    static byte[] ValidAu(Random r) =>
        Lines(r, Enumerable.Range(0, r.Next(0, 40)).Select(_ => AuRow(r)).Prepend(string.Join(',', Aus)));

    static byte[] ValidMultiTask(Random r)
    {
        var rows = new List<string>();
        foreach (var stem in new[] { "1-30-1280x720", "video2_left" }.Take(r.Next(1, 3)))
            foreach (int f in Enumerable.Range(1, r.Next(1, 20)).Where(_ => r.Next(4) > 0))
                rows.Add($"{stem}/{f:D5}.jpg,{Va(r)},{Va(r)},{r.Next(-1, 8)},{AuRow(r)}");
        return Lines(r, rows.OrderBy(_ => r.Next()).Prepend("image,valence,arousal,expression," + string.Join(',', Aus)));
    }
}
