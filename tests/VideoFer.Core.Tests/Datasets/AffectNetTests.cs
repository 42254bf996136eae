using System.Globalization;
using VideoFer.Datasets;
using VideoFer.Datasets.AffectNet;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Datasets;

public class AffectNetTests
{
    // AffectNet code -> ABAW class, derived from the class names of both datasets (docs/datasets.md §2).
    static readonly string[] AffectNetNames = ["Neutral", "Happiness", "Sadness", "Surprise", "Fear", "Disgust", "Anger"];

    [Fact]
    public void Basic_codes_map_to_the_ABAW_class_of_the_same_name()
    {
        for (int code = 0; code < 7; code++)
            Assert.Equal(AffectNetNames[code], ExpressionClasses.Seven[AffectNetCodes.ToAbaw(code)]);
        for (int code = 7; code <= 10; code++)
        {
            Assert.Equal(-1, AffectNetCodes.ToAbaw(code, 7, contemptAsOther: true));
            Assert.Equal(code == 7 ? 7 : -1, AffectNetCodes.ToAbaw(code, 8, contemptAsOther: true));
            Assert.Equal(-1, AffectNetCodes.ToAbaw(code, 8, contemptAsOther: false));
        }
    }

    sealed record Row(string Path, double X, double Y, double W, double H, int Code, double Valence, double Arousal);

    static List<Row> RandomRows(int seed, int count)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new Row(
            $"{r.Next(1, 1000)}/{Guid.NewGuid():N}.jpg", r.Next(0, 200), r.Next(0, 200), r.Next(50, 400), r.Next(50, 400),
            r.Next(0, 11), Math.Round(r.NextDouble() * 2 - 1, 6), Math.Round(r.NextDouble() * 2 - 1, 6))).ToList();
    }

    static string CsvLine(Row row)
    {
        var lm = string.Join(';', Enumerable.Range(0, 136).Select(i => (i * 1.5).ToString(CultureInfo.InvariantCulture)));
        return string.Join(',', row.Path, row.X, row.Y, row.W, row.H, lm, row.Code,
            row.Valence.ToString("R", CultureInfo.InvariantCulture), row.Arousal.ToString("R", CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(TextVariants.All), MemberType = typeof(TextVariants))]
    public void Original_release_lists_with_and_without_header(TextVariant variant)
    {
        using var tmp = new TempDir();
        var train = RandomRows(1, 40);
        var val = RandomRows(2, 25);
        tmp.Write("Manually_Annotated_file_lists/training.csv", TextVariants.Render([string.Join(',', AffectNetCsv.Columns), .. train.Select(CsvLine)], variant));
        tmp.Write("Manually_Annotated_file_lists/validation.csv", TextVariants.Render(val.Select(CsvLine), variant));
        foreach (var row in train.Take(30)) tmp.Write(Path.Combine("Manually_Annotated_Images", row.Path), []); // 10 missing
        foreach (var row in val) tmp.Write(Path.Combine("Manually_Annotated_Images", row.Path), []);

        var reader = AffectNetReader.Open(tmp.Path);
        Assert.Equal(AffectNetRelease.Original, reader.Release);
        foreach (var (split, rows) in new[] { (Splits.Train, train), (Splits.Validation, val) })
        {
            var entries = reader.Entries(split).ToList();
            Assert.Equal(rows.Count, entries.Count);
            for (int i = 0; i < rows.Count; i++)
            {
                var (row, e) = (rows[i], entries[i]);
                Assert.Equal(row.Code, e.Code);
                Assert.Equal(AffectNetCodes.ToAbaw(row.Code), e.Item.Label);
                Assert.Equal(new FaceBox(row.X, row.Y, row.W, row.H), e.Box);
                Assert.Equal(row.Valence, e.Valence);
                Assert.Equal(row.Arousal, e.Arousal);
                Assert.Equal(Path.ChangeExtension(row.Path, null), e.Item.Stem);
                bool present = split == Splits.Validation || i < 30;
                Assert.Equal(present ? Path.Combine(tmp.Path, "Manually_Annotated_Images", row.Path) : null, e.Item.ImagePath);
                Assert.Equal(split, e.Item.Split);
            }
            Assert.Equal(rows.Where(r => r.Code < 7).Select(r => Path.ChangeExtension(r.Path, null)), reader.Items(split).Select(i => i.Stem));
        }
    }

    [Fact]
    public void A_header_may_list_columns_in_any_order_and_quote_fields()
    {
        using var tmp = new TempDir();
        tmp.Write("Manually_Annotated_file_lists/training.csv",
            "expression,subDirectory_filePath,valence,arousal,face_x,face_y,face_width,face_height\n" +
            "3,\"1/a.jpg\",0.5,-0.5,1,2,3,4\n" +
            "7,\"2/b,c.jpg\",0.1,0.2,5,6,7,8\n");
        var entries = AffectNetReader.Open(tmp.Path, new AffectNetOptions { ClassCount = 8, ContemptAsOther = true, CheckImages = false })
            .Entries(Splits.Train).ToList();
        Assert.Equal(["1/a", "2/b,c"], entries.Select(e => e.Item.Stem));
        Assert.Equal([AffectNetCodes.ToAbaw(3), 7], entries.Select(e => e.Item.Label));
        Assert.Equal(new FaceBox(5, 6, 7, 8), entries[1].Box);
        Assert.Equal(0.5, entries[0].Valence);
    }

    [Theory]
    [InlineData("1/a.jpg,1,2,3,4,lm,11,0,0", "expected an expression code from 0 to 10, got '11'")]
    [InlineData("1/a.jpg,1,2,3,4,lm,x,0,0", "expected a header row")]
    [InlineData("1/a.jpg,1,2", "expected a header row")]
    public void A_bad_first_row_is_an_error_even_leniently(string line, string message)
    {
        using var tmp = new TempDir();
        var file = tmp.Write("Manually_Annotated_file_lists/validation.csv", line + "\n");
        foreach (var lenient in new[] { false, true })
        {
            var options = new AffectNetOptions { Read = new ReadOptions { Lenient = lenient } };
            var reader = AffectNetReader.Open(tmp.Path, options);
            if (message.StartsWith("expected a header") || !lenient)
            {
                var e = Assert.Throws<VideoFerException>(() => reader.Entries(Splits.Validation).ToList());
                Assert.StartsWith($"{file}:1: ", e.Message);
                Assert.Contains(message, e.Message);
            }
            else
                Assert.Empty(reader.Entries(Splits.Validation));
        }
    }

    [Theory]
    [InlineData("1/b.jpg,1,2,3,4,lm,12,0,0", "expected an expression code from 0 to 10, got '12'")]
    [InlineData("1/b.jpg,1,2,x,4,lm,1,0,0", "expected a number for face_width, got 'x'")]
    [InlineData("1/b.jpg,1,2,3,4,lm,1,0,nan?", "expected a number for arousal")]
    [InlineData("1/b.jpg,1,2", "expected at least 7 comma-separated fields")]
    [InlineData("\"1/b.jpg,1,2,3,4,lm,1,0,0", "unbalanced quote")]
    [InlineData(",1,2,3,4,lm,1,0,0", "expected an image path")]
    public void A_bad_later_row_names_file_and_line_or_is_skipped(string line, string message)
    {
        using var tmp = new TempDir();
        var file = tmp.Write("Manually_Annotated_file_lists/validation.csv", $"1/a.jpg,1,2,3,4,lm,1,0,0\r\n{line}\r\n1/c.jpg,1,2,3,4,lm,2,0,0");
        var e = Assert.Throws<VideoFerException>(() => AffectNetReader.Open(tmp.Path).Entries(Splits.Validation).ToList());
        Assert.StartsWith($"{file}:2: ", e.Message);
        Assert.Contains(message, e.Message);
        var warnings = new List<string>();
        var lenient = AffectNetReader.Open(tmp.Path, new AffectNetOptions { Read = new ReadOptions { Lenient = true, Warning = warnings.Add } });
        Assert.Equal(["1/a", "1/c"], lenient.Entries(Splits.Validation).Select(x => x.Item.Stem));
        Assert.Equal(e.Message + "; row skipped", Assert.Single(warnings));
    }

    [Fact]
    public void Eight_label_release_reads_numpy_annotations_of_every_storage_kind()
    {
        using var tmp = new TempDir();
        // Python writes the files and the expected codes; ids with code 7 exercise Contempt.
        var listing = Python.RunCode("""
import sys, random, numpy as np, os
root = sys.argv[1]
random.seed(3)
for split in ("train_set", "val_set"):
    os.makedirs(f"{root}/{split}/annotations"); os.makedirs(f"{root}/{split}/images")
    for i in range(30):
        code = random.randrange(8)
        kind = i % 4
        exp = [np.array(code, dtype=np.int64), np.array(str(code)), np.array(code, dtype=np.float64), np.array([code], dtype=np.uint8)][kind]
        np.save(f"{root}/{split}/annotations/{i}_exp.npy", exp)
        np.save(f"{root}/{split}/annotations/{i}_val.npy", np.array(str(i / 40.0)) if kind == 1 else np.array(i / 40.0, dtype=np.float32))
        np.save(f"{root}/{split}/annotations/{i}_aro.npy", np.array(-i / 40.0))
        np.save(f"{root}/{split}/annotations/{i}_lnd.npy", np.zeros(136, dtype=np.float32))
        if i % 5: open(f"{root}/{split}/images/{i}.jpg", "wb").close()
        print(split, i, code, float(np.float32(i / 40.0)) if kind != 1 else i / 40.0, -i / 40.0)
""", tmp.Path);
        var expected = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        var reader = AffectNetReader.Open(tmp.Path, new AffectNetOptions { ClassCount = 8, ContemptAsOther = true });
        Assert.Equal(AffectNetRelease.EightLabels, reader.Release);
        foreach (var (split, folder) in new[] { (Splits.Train, "train_set"), (Splits.Validation, "val_set") })
        {
            var rows = expected.Where(e => e[0] == folder).OrderBy(e => e[1] + "_exp.npy", StringComparer.Ordinal).ToList();
            var entries = reader.Entries(split).ToList();
            Assert.Equal(rows.Select(r => r[1]), entries.Select(e => e.Item.Stem));
            for (int i = 0; i < rows.Count; i++)
            {
                int code = int.Parse(rows[i][2]);
                Assert.Equal(code, entries[i].Code);
                Assert.Equal(AffectNetCodes.ToAbaw(code, 8, true), entries[i].Item.Label);
                Assert.Equal(double.Parse(rows[i][3], CultureInfo.InvariantCulture), entries[i].Valence, 1e-12);
                Assert.Equal(double.Parse(rows[i][4], CultureInfo.InvariantCulture), entries[i].Arousal, 1e-12);
                Assert.Null(entries[i].Box);
                int id = int.Parse(rows[i][1]);
                Assert.Equal(id % 5 != 0, entries[i].Item.ImagePath != null);
            }
        }
    }

    [Fact]
    public void A_bad_npy_label_is_an_error_naming_the_file_or_a_skipped_image()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Combine("val_set", "images"));
        tmp.Write("val_set/annotations/1_exp.npy", NpyBytes("<i8", "()", BitConverter.GetBytes(3L)));
        var bad = tmp.Write("val_set/annotations/2_exp.npy", NpyBytes("<i8", "()", BitConverter.GetBytes(9L)));
        var e = Assert.Throws<VideoFerException>(() => AffectNetReader.Open(tmp.Path).Entries(Splits.Validation).ToList());
        Assert.StartsWith(bad + ": expected one expression code from 0 to 7, got 9", e.Message);
        var warnings = new List<string>();
        var lenient = AffectNetReader.Open(tmp.Path, new AffectNetOptions { Read = new ReadOptions { Lenient = true, Warning = warnings.Add } });
        Assert.Equal(["1"], lenient.Entries(Splits.Validation).Select(x => x.Item.Stem));
        Assert.Single(warnings);
    }

    /// <summary>A version 1.0 .npy file built byte by byte (for cases numpy would not write).</summary>
    internal static byte[] NpyBytes(string descr, string shape, byte[] data)
    {
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, (byte)(header.Length >> 8), .. System.Text.Encoding.ASCII.GetBytes(header), .. data];
    }

    [Fact]
    public void An_unknown_root_is_a_clear_error()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<VideoFerException>(() => AffectNetReader.Open(tmp.Path));
        Assert.Contains("Manually_Annotated_file_lists", e.Message);
    }
}
