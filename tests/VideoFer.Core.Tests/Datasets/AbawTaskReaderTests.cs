using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Datasets;

/// <summary>Layout detection and loading of the three ABAW tasks (expression, valence-arousal, action
/// units) for every edition's folders, any subset of them, and the 2022 multi-task files.</summary>
public class AbawTaskReaderTests
{
    public static readonly TheoryData<AffWild2Edition> Editions = new(Enum.GetValues<AffWild2Edition>());

    static void AssertSplit(AffWild2Reader reader, List<TaskFixtureTrack> written, string split, string imageRoot, string[] aus)
    {
        var expected = written.Where(t => t.Split == split).OrderBy(t => t.Stem, StringComparer.Ordinal).ToList();
        var loaded = reader.LoadSplit(split);
        Assert.Equal(expected.Select(t => t.Stem), loaded.Select(t => t.Stem));
        for (int i = 0; i < expected.Count; i++)
            AbawTaskFixture.AssertMatches(expected[i], loaded[i], imageRoot, aus);
    }

    [Theory]
    [MemberData(nameof(Editions))]
    public void Every_task_of_each_edition_is_read_as_written(AffWild2Edition edition)
    {
        using var tmp = new TempDir();
        var written = AbawTaskFixture.Create(tmp.Path, edition, AbawTasks.All, seed: (int)edition + 3);
        var reader = AffWild2Reader.Open(tmp.Path);
        Assert.Equal(edition, reader.Layout.Edition);
        Assert.Equal(AbawTasks.All, reader.Tasks);
        Assert.Equal([Splits.Train, Splits.Validation], reader.Layout.Splits);
        foreach (var task in AbawTaskNames.Each(AbawTasks.All))
            Assert.Equal(Path.Combine(tmp.Path, AbawTaskFixture.TaskFolder(task, edition)), reader.Layout.TaskFolder(task)!.Folder);
        Assert.Equal(Path.Combine(tmp.Path, AbawTaskFixture.TaskFolder(AbawTasks.Expression, edition)), reader.Layout.AnnotationDir);
        Assert.Equal(tmp.Path, reader.Layout.DatasetRoot);
        foreach (var split in new[] { Splits.Train, Splits.Validation })
            AssertSplit(reader, written, split, tmp.Combine("cropped_aligned"), AbawTaskFixture.AusOf(edition));
        // The expression view is unchanged: only stems with an expression file.
        Assert.Equal(written.Where(t => t.Split == Splits.Train && t.Expression != null).Select(t => t.Stem).Order(StringComparer.Ordinal),
            reader.Tracks(Splits.Train).Select(t => t.Stem));
    }

    [Theory]
    [MemberData(nameof(TextVariants.All), MemberType = typeof(TextVariants))]
    public void Mangled_text_files_read_the_same(TextVariant variant)
    {
        using var tmp = new TempDir();
        var written = AbawTaskFixture.Create(tmp.Path, AffWild2Edition.Abaw2022, AbawTasks.All, seed: 11, variant);
        var reader = AffWild2Reader.Open(tmp.Path);
        foreach (var split in new[] { Splits.Train, Splits.Validation })
            AssertSplit(reader, written, split, tmp.Combine("cropped_aligned"), AbawTaskFixture.Aus2021);
    }

    [Theory]
    [InlineData(AbawTasks.ValenceArousal)]
    [InlineData(AbawTasks.ActionUnits)]
    [InlineData(AbawTasks.ValenceArousal | AbawTasks.ActionUnits)]
    public void A_copy_without_expression_folders_is_found_and_read(AbawTasks tasks)
    {
        foreach (var edition in Enum.GetValues<AffWild2Edition>())
        {
            using var tmp = new TempDir();
            var written = AbawTaskFixture.Create(tmp.Path, edition, tasks, seed: 5);
            var reader = AffWild2Reader.Open(tmp.Path);
            Assert.Equal(tasks, reader.Tasks);
            Assert.Null(reader.Layout.TrainDir);
            Assert.Null(reader.Layout.TaskFolder(AbawTasks.Expression));
            Assert.Equal(edition == AffWild2Edition.Abaw2024 ? AffWild2Edition.Abaw2022 : edition, reader.Layout.Edition); // 2022 and 2024 share these folder names
            Assert.Empty(reader.Tracks(Splits.Train));
            foreach (var split in new[] { Splits.Train, Splits.Validation })
                AssertSplit(reader, written, split, tmp.Combine("cropped_aligned"), AbawTaskFixture.AusOf(edition));
            Assert.All(reader.LoadSplit(Splits.Train), t => Assert.All(t.Labels, l => Assert.Equal(-1, l)));
        }
    }

    [Fact]
    public void A_stem_with_expression_and_va_but_no_au_file_has_no_au_labels()
    {
        using var tmp = new TempDir();
        AbawTaskFixture.Create(tmp.Path, AffWild2Edition.Abaw2021, AbawTasks.All, seed: 8);
        var track = AffWild2Reader.Open(tmp.Path).LoadSplit(Splits.Train).Single(t => t.Stem == "122-60-1920x1080-3_left");
        Assert.Contains(track.Labels, l => l >= 0);
        Assert.NotNull(track.ValenceArousal);
        Assert.Null(track.ActionUnits);
    }

    [Fact]
    public void Files_of_different_lengths_pad_the_shorter_ones_as_unannotated()
    {
        using var tmp = new TempDir();
        var va = tmp.Combine("VA_Estimation_Challenge", "Train_Set", "s.txt");
        var au = tmp.Combine("AU_Detection_Challenge", "Train_Set", "s.txt");
        var expr = tmp.Combine("EXPR_Classification_Challenge", "Train_Set", "s.txt");
        AbawTaskFixture.Write(expr, ["Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other", "3", "4"]);
        AbawTaskFixture.Write(va, ["valence,arousal", "0.5,-0.25", "-5,-5", "1,-1", "0,0.125"]);
        AbawTaskFixture.Write(au, ["AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26", "1,0,0,0,0,0,0,0,0,0,0,1"]);
        var track = AffWild2Reader.Open(tmp.Path, imageRoots: []).LoadSplit(Splits.Train).Single();
        Assert.Equal(4, track.FrameCount);
        Assert.Equal([3, 4, -1, -1], track.Labels);
        Assert.Equal([0.5f, float.NaN, 1f, 0f], Enumerable.Range(1, 4).Select(track.ValenceArousal!.Valence));
        Assert.Equal([-0.25f, float.NaN, -1f, 0.125f], Enumerable.Range(1, 4).Select(track.ValenceArousal.Arousal));
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], Enumerable.Range(0, 12).Select(j => track.ActionUnits!.Value(1, j)));
        Assert.All(Enumerable.Range(2, 3), f => Assert.False(track.ActionUnits!.IsAnnotated(f)));
        Assert.All(Enumerable.Range(0, 12), j => Assert.Equal(-1, track.ActionUnits!.Value(4, j)));
    }

    [Fact]
    public void Restricting_the_tasks_reads_only_those()
    {
        using var tmp = new TempDir();
        var written = AbawTaskFixture.Create(tmp.Path, AffWild2Edition.Abaw2022, AbawTasks.All, seed: 21);
        var reader = AffWild2Reader.Open(tmp.Path, tasks: AbawTasks.ValenceArousal);
        Assert.Equal(AbawTasks.ValenceArousal, reader.Tasks);
        var expected = written.Where(t => t.Split == Splits.Train && t.Valence != null)
            .Select(t => t with { Expression = null, ActionUnits = null }).ToList();
        AssertSplit(reader, expected, Splits.Train, tmp.Combine("cropped_aligned"), AbawTaskFixture.Aus2021);

        var auOnly = AffWild2Reader.Open(tmp.Path, tasks: AbawTasks.ActionUnits);
        Assert.Equal(AbawTasks.ActionUnits, auOnly.Tasks);
        Assert.All(auOnly.LoadSplit(Splits.Validation), t => Assert.Null(t.ValenceArousal));

        using var exprOnlyCopy = new TempDir();
        AbawTaskFixture.Create(exprOnlyCopy.Path, AffWild2Edition.Abaw2022, AbawTasks.Expression);
        var e = Assert.Throws<VideoFerException>(() => AffWild2Reader.Open(exprOnlyCopy.Path, tasks: AbawTasks.ValenceArousal));
        Assert.Contains("no Aff-Wild2 annotations of the task(s) va found", e.Message);
        Assert.Contains("VA_Estimation_Challenge", e.Message);
    }

    [Fact]
    public void An_expression_only_copy_loads_exactly_as_the_expression_reader_does()
    {
        using var tmp = new TempDir();
        AffWild2Fixture.Create(tmp.Path, AffWild2Edition.Abaw2024);
        var reader = AffWild2Reader.Open(tmp.Path);
        Assert.Equal(AbawTasks.Expression, reader.Tasks);
        var byTrack = reader.Tracks(Splits.Train).Select(reader.LoadTrack).ToList();
        var bySplit = reader.LoadSplit(Splits.Train);
        Assert.Equal(byTrack.Select(t => t.Stem), bySplit.Select(t => t.Stem));
        for (int i = 0; i < byTrack.Count; i++)
        {
            Assert.Equal(byTrack[i].Labels, bySplit[i].Labels);
            Assert.Equal(byTrack[i].ImageMask, bySplit[i].ImageMask);
            Assert.Null(bySplit[i].ValenceArousal);
            Assert.Null(bySplit[i].ActionUnits);
        }
    }

    [Fact]
    public void An_au_file_of_a_known_edition_must_name_that_editions_aus()
    {
        using var tmp = new TempDir();
        // A 2021 (12 AU) file inside a 2020 copy, which has 8.
        var file = tmp.Combine("annotations", "AU_Set", "Training_Set", "a.txt");
        AbawTaskFixture.Write(file, [string.Join(',', AbawTaskFixture.Aus2021), "0,0,0,0,0,0,0,0,0,0,0,0"]);
        var reader = AffWild2Reader.Open(tmp.Path);
        Assert.Equal(AffWild2Edition.Abaw2020, reader.Layout.Edition);
        var e = Assert.Throws<VideoFerException>(() => reader.LoadSplit(Splits.Train));
        Assert.Equal($"{file}:1: the header's AUs are not the 2020 AU list 'AU1,AU2,AU4,AU6,AU12,AU15,AU20,AU25': missing AU20; not in that list: AU7, AU10, AU23, AU24, AU26", e.Message);

        var warnings = new List<string>();
        var lenient = AffWild2Reader.Open(tmp.Path, options: new ReadOptions { Lenient = true, Warning = warnings.Add });
        Assert.Null(lenient.LoadSplit(Splits.Train).Single().ActionUnits);
        Assert.Equal([e.Message + "; file skipped"], warnings);
    }

    [Fact]
    public void A_renamed_au_folder_takes_the_header_as_it_stands()
    {
        using var tmp = new TempDir();
        AbawTaskFixture.Write(tmp.Combine("my_aus", "Train_Set", "a.txt"), ["AU1, au04 ,AU45", "1,0,-1", "0,1,1"]);
        var reader = AffWild2Reader.Open(tmp.Combine("my_aus"), imageRoots: []);
        Assert.Equal(AbawTasks.ActionUnits, reader.Tasks);
        Assert.Null(reader.Layout.ActionUnitNames);
        var track = reader.LoadSplit(Splits.Train).Single();
        Assert.Equal(["AU1", "AU4", "AU45"], track.ActionUnits!.Names);
        Assert.Equal([1, 0, -1, 0, 1, 1], new[] { 1, 2 }.SelectMany(f => Enumerable.Range(0, 3).Select(j => track.ActionUnits.Value(f, j))));
    }

    [Fact]
    public void A_renamed_va_folder_is_told_by_its_header()
    {
        using var tmp = new TempDir();
        AbawTaskFixture.Write(tmp.Combine("va_copy", "Validation_Set", "a.txt"), ["valence,arousal", "0.25,0.5"]);
        var reader = AffWild2Reader.Open(tmp.Combine("va_copy"), imageRoots: []);
        Assert.Equal(AbawTasks.ValenceArousal, reader.Tasks);
        Assert.Equal([Splits.Validation], reader.Layout.Splits);
        Assert.Equal(0.25f, reader.LoadSplit(Splits.Validation).Single().ValenceArousal!.Valence(1));
        var e = Assert.Throws<VideoFerException>(() => reader.LoadSplit(Splits.Train));
        Assert.Contains("no 'train' annotations", e.Message);
    }

    [Fact]
    public void Task_folders_of_different_editions_need_an_explicit_choice()
    {
        using var tmp = new TempDir();
        AbawTaskFixture.Create(tmp.Path, AffWild2Edition.Abaw2021, AbawTasks.Expression);
        AbawTaskFixture.Create(tmp.Path, AffWild2Edition.Abaw2022, AbawTasks.ValenceArousal);
        var e = Assert.Throws<VideoFerException>(() => AffWild2Layout.Detect(tmp.Path));
        Assert.Contains("several Aff-Wild2 editions", e.Message);
        Assert.Equal(AbawTasks.Expression, AffWild2Layout.Detect(tmp.Path, AffWild2Edition.Abaw2021).Tasks);
        Assert.Equal(AbawTasks.ValenceArousal, AffWild2Layout.Detect(tmp.Path, AffWild2Edition.Abaw2022).Tasks);
    }

    [Fact]
    public void The_2024_expression_folder_makes_the_shared_va_and_au_folders_2024()
    {
        using var tmp = new TempDir();
        AbawTaskFixture.Create(tmp.Path, AffWild2Edition.Abaw2024, AbawTasks.All);
        var layout = AffWild2Layout.Detect(tmp.Path);
        Assert.Equal(AffWild2Edition.Abaw2024, layout.Edition);
        Assert.Equal(AbawTasks.All, layout.Tasks);
    }

    [Theory]
    [MemberData(nameof(TextVariants.All), MemberType = typeof(TextVariants))]
    public void The_multi_task_files_are_read_per_stem_from_the_image_names(TextVariant variant)
    {
        using var tmp = new TempDir();
        var written = AbawTaskFixture.CreateMultiTask(tmp.Path, tmp.Combine("cropped_aligned"), seed: 4, variant);
        var reader = AffWild2Reader.Open(tmp.Path);
        Assert.NotNull(reader.Layout.MultiTask);
        Assert.Equal(AffWild2Edition.Abaw2022, reader.Layout.Edition);
        Assert.Equal(AbawTasks.All, reader.Tasks);
        Assert.Equal([Splits.Train, Splits.Validation], reader.Layout.Splits);
        foreach (var split in new[] { Splits.Train, Splits.Validation })
            AssertSplit(reader, written, split, tmp.Combine("cropped_aligned"), AbawTaskFixture.Aus2021);
    }

    [Fact]
    public void The_abaw3_multi_task_folder_and_file_names_are_found_too()
    {
        using var tmp = new TempDir();
        var mtl = tmp.Combine("annotations", "MTL_Challenge");
        var written = AbawTaskFixture.CreateMultiTask(mtl, tmp.Combine("cropped_aligned"), seed: 9, trainName: "train_set.txt", validationName: "validation_set.txt");
        var reader = AffWild2Reader.Open(tmp.Path);
        Assert.Equal(mtl, reader.Layout.MultiTask!.Folder);
        Assert.Equal(tmp.Path, reader.Layout.DatasetRoot);
        AssertSplit(reader, written, Splits.Validation, tmp.Combine("cropped_aligned"), AbawTaskFixture.Aus2021);

        // The generic name is not trusted outside an MTL folder.
        using var loose = new TempDir();
        AbawTaskFixture.Write(loose.Combine("train_set.txt"), ["image,valence,arousal,expression,AU1", "a/00001.jpg,0,0,0,0"]);
        Assert.Throws<VideoFerException>(() => AffWild2Reader.Open(loose.Path));
    }

    [Fact]
    public void Multi_task_restricted_to_va_leaves_the_other_tasks_out()
    {
        using var tmp = new TempDir();
        var written = AbawTaskFixture.CreateMultiTask(tmp.Path, tmp.Combine("cropped_aligned"), seed: 12);
        var reader = AffWild2Reader.Open(tmp.Path, tasks: AbawTasks.ValenceArousal);
        Assert.Equal(AbawTasks.ValenceArousal, reader.Tasks);
        var expected = written.Where(t => t.Split == Splits.Train).OrderBy(t => t.Stem, StringComparer.Ordinal).ToList();
        var loaded = reader.LoadSplit(Splits.Train);
        Assert.Equal(expected.Select(t => t.Stem), loaded.Select(t => t.Stem));
        for (int i = 0; i < expected.Count; i++)
        {
            // A stem whose frames are all unannotated for VA carries no VA labels.
            if (expected[i].Valence!.All(float.IsNaN))
                Assert.Null(loaded[i].ValenceArousal);
            else
                AbawTaskFixture.AssertMatches(expected[i] with { Expression = null, ActionUnits = null }, loaded[i], tmp.Combine("cropped_aligned"), AbawTaskFixture.Aus2021);
            Assert.All(loaded[i].Labels, l => Assert.Equal(-1, l));
            Assert.Null(loaded[i].ActionUnits);
        }
    }

    [Fact]
    public void Task_folders_win_over_multi_task_files_in_the_same_root()
    {
        using var tmp = new TempDir();
        AbawTaskFixture.Create(tmp.Path, AffWild2Edition.Abaw2022, AbawTasks.ValenceArousal);
        AbawTaskFixture.CreateMultiTask(tmp.Path, tmp.Combine("cropped_aligned"));
        var layout = AffWild2Layout.Detect(tmp.Path);
        Assert.Null(layout.MultiTask);
        Assert.Equal(AbawTasks.ValenceArousal, layout.Tasks);
    }

    [Fact]
    public void A_folder_without_any_task_is_a_clear_error()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Combine("annotations", "nothing"));
        var e = Assert.Throws<VideoFerException>(() => AffWild2Reader.Open(tmp.Path));
        Assert.StartsWith($"{tmp.Path}: no Aff-Wild2 annotations found; expected annotations/EXPR_Set/Training_Set (2020)", e.Message);
        Assert.Contains("VA_Estimation_Challenge and AU_Detection_Challenge", e.Message);
        Assert.Contains("training_set_annotations.txt", e.Message);
    }
}
