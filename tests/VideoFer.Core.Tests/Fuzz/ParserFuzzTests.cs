using System.Text;
using VideoFer.Datasets;
using VideoFer.Datasets.AffectNet;
using VideoFer.Datasets.AffWild2;
using VideoFer.Datasets.RafDb;
using VideoFer.Formats;
using VideoFer.Submissions;

namespace VideoFer.Tests.Fuzz;

/// <summary>Feeds random bytes and mutated valid files to every parser, strict and lenient. Each input
/// must either parse or fail with a <see cref="VideoFerException"/> (the CLI's one-line user error) —
/// never with any other exception. Seeded, so a failure reproduces; a few thousand cases per parser.</summary>
public class ParserFuzzTests
{
    const int CasesPerParser = 3000;

    static TextReader Text(byte[] bytes) => new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    static readonly ReadOptions Lenient = new() { Lenient = true, Warning = _ => { } };

    /// <summary>Parsers, each consuming all of its input.</summary>
    static readonly (string Name, Func<Random, byte[]> Valid, Action<byte[], bool> Parse)[] Parsers =
    [
        ("annotation txt", ValidAnnotation, (b, lenient) =>
        {
            using var f = new ExpressionLabelFile(Text(b), "f.txt", lenient ? Lenient : ReadOptions.Strict);
            f.ReadAll();
        }),
        ("test-set list", r => Lines(r, 1, 20, _ => $"{r.Next(1, 400)}-30-1280x720{(r.Next(3) == 0 ? "_left" : "")}"),
            (b, lenient) => TestSetList.Parse(Text(b), "l.txt", lenient ? Lenient : null).ToList()),
        ("AffectNet csv", ValidAffectNetCsv, (b, lenient) => AffectNetCsv.Parse(Text(b), "a.csv", lenient ? Lenient : null).ToList()),
        ("RAF-DB list", r => Lines(r, 1, 30, i => $"{(r.Next(2) == 0 ? $"train_{i:D5}" : $"test_{i:D4}")}.jpg {r.Next(1, 8)}"),
            (b, lenient) => RafDbList.Parse(Text(b), "r.txt", lenient ? Lenient : null).ToList()),
        (".npy", ValidNpy, (b, _) =>
        {
            var array = NpyReader.Parse(b, "x.npy");
            if (array.Count == 1) AffectNetNpy.ParseExpression(array, "x.npy");
            array.AsNumber();
        }),
        ("submission txt", ValidSubmissionTxt, (b, _) => PerVideoSubmission.Parse(Text(b), "p.txt")),
        ("submission csv", ValidSubmissionCsv, (b, _) => Abaw2024Submission.Parse(Text(b), "s.csv")),
    ];

    public static TheoryData<string> ParserNames => new(Parsers.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(ParserNames))]
    public void Random_and_mutated_input_parses_or_gives_a_user_error(string parser)
    {
        var (name, valid, parse) = Parsers.Single(p => p.Name == parser);
        var r = new Random(name.Length * 7919 + name[0]); // not name.GetHashCode(): that is randomised per process
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
        var r = new Random(99);
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
        const string alphabet = "0123456789-,\n\r ./_abcNeutralOther\"'";
        if (r.Next(3) == 0) // mostly-printable text gets further into the parsers than noise
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] = (byte)alphabet[bytes[i] % alphabet.Length];
        return bytes;
    }

    static readonly string[] Tokens =
        ["-1", "", ",", "\"", "\r", "\n", "\r\n", "\uFEFF", "99999999999", "-2147483648", "1e309", "NaN", "7", "8", "Other", " ", "\0", "/", "00000.jpg", "\u00e9", "(", ")", "'", "True", "<U9999999"];

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
                case 3 when bytes.Count > 0: bytes.RemoveRange(at, bytes.Count - at); break; // truncate
                case 4 when bytes.Count > 0: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(r.Next(1, 30), bytes.Count - at))); break; // duplicate a stretch
                default: if (bytes.Count > 0) bytes[at] ^= (byte)(1 << r.Next(8)); break;
            }
        }
        return bytes.ToArray();
    }

    static byte[] Lines(Random r, int min, int max, Func<int, string> line, string? header = null)
    {
        var lines = Enumerable.Range(1, r.Next(min, max)).Select(line);
        if (header != null) lines = lines.Prepend(header);
        var nl = r.Next(2) == 0 ? "\n" : "\r\n";
        var text = string.Join(nl, lines) + (r.Next(2) == 0 ? nl : "");
        var bytes = Encoding.UTF8.GetBytes(text);
        return r.Next(4) == 0 ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes;
    }

    static byte[] ValidAnnotation(Random r)
    {
        int classes = r.Next(7, 9);
        return Lines(r, 0, 40, _ => r.Next(-1, classes).ToString(), ExpressionHeader.For(classes));
    }

    static byte[] ValidSubmissionTxt(Random r)
    {
        int classes = r.Next(7, 9);
        return Lines(r, 0, 40, _ => r.Next(0, classes).ToString(), ExpressionHeader.For(classes));
    }

    static byte[] ValidSubmissionCsv(Random r)
    {
        int classes = r.Next(7, 9);
        int perStem = r.Next(1, 15);
        return Lines(r, 1, 3 * perStem, i => $"v{(i - 1) / perStem}_left/{(i - 1) % perStem + 1:D5}.jpg,{r.Next(classes)}", Abaw2024Submission.Header(classes));
    }

    static byte[] ValidAffectNetCsv(Random r)
    {
        bool header = r.Next(2) == 0;
        return Lines(r, 1, 20, i => $"{r.Next(1000)}/{i:x8}.jpg,{r.Next(100)},{r.Next(100)},{r.Next(50, 300)},{r.Next(50, 300)},1.5;2.5;3,{r.Next(11)},{r.NextDouble() * 2 - 1:F4},{r.NextDouble() * 2 - 1:F4}",
            header ? string.Join(',', AffectNetCsv.Columns) : null);
    }

    static byte[] ValidNpy(Random r)
    {
        int code = r.Next(8);
        return r.Next(5) switch
        {
            0 => Datasets.AffectNetTests.NpyBytes("<i8", "()", BitConverter.GetBytes((long)code)),
            1 => Datasets.AffectNetTests.NpyBytes("<U1", "()", BitConverter.GetBytes(code + '0')),
            2 => Datasets.AffectNetTests.NpyBytes("|S1", "()", [(byte)('0' + code)]),
            3 => Datasets.AffectNetTests.NpyBytes(">f8", "(1,)", BitConverter.GetBytes((double)code).Reverse().ToArray()),
            _ => Datasets.AffectNetTests.NpyBytes("<i4", "()", BitConverter.GetBytes(code)),
        };
    }
}
