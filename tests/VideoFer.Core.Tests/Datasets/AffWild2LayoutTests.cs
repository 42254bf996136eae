using VideoFer.Datasets.AffWild2;
using VideoFer.Tests.Support;

namespace VideoFer.Tests.Datasets;

public class AffWild2LayoutTests
{
    public static readonly TheoryData<AffWild2Edition> Editions = new(Enum.GetValues<AffWild2Edition>());

    [Theory]
    [MemberData(nameof(Editions))]
    public void Detects_each_edition_from_the_dataset_root(AffWild2Edition edition)
    {
        using var tmp = new TempDir();
        var fixture = AffWild2Fixture.Create(tmp.Path, edition);
        var layout = AffWild2Layout.Detect(tmp.Path);
        Assert.Equal(edition, layout.Edition);
        Assert.Equal(fixture.AnnotationDir, layout.AnnotationDir);
        Assert.Equal(["train", "validation"], layout.Splits);
        Assert.Equal(fixture.ImageRoots, layout.ImageRoots);
        Assert.NotNull(layout.TestListFile);
    }

    [Theory]
    [MemberData(nameof(Editions))]
    public void Detects_from_the_edition_folder_and_the_annotations_folder(AffWild2Edition edition)
    {
        using var tmp = new TempDir();
        var fixture = AffWild2Fixture.Create(tmp.Path, edition);
        foreach (var start in new[] { fixture.AnnotationDir, Path.GetDirectoryName(fixture.AnnotationDir)! })
        {
            var layout = AffWild2Layout.Detect(start);
            Assert.Equal(edition, layout.Edition);
            Assert.Equal(fixture.AnnotationDir, layout.AnnotationDir);
            Assert.Equal(tmp.Path, layout.DatasetRoot);
            Assert.Equal(fixture.ImageRoots, layout.ImageRoots);
        }
    }

    [Fact]
    public void A_2024_copy_under_the_old_folder_name_is_2022_unless_named_2024()
    {
        using var tmp = new TempDir();
        AffWild2Fixture.Create(tmp.Path, AffWild2Edition.Abaw2024, editionFolder: "EXPR_Classification_Challenge");
        Assert.Equal(AffWild2Edition.Abaw2022, AffWild2Layout.Detect(tmp.Path).Edition);
        Assert.Equal(AffWild2Edition.Abaw2024, AffWild2Layout.Detect(tmp.Path, AffWild2Edition.Abaw2024).Edition);
    }

    [Fact]
    public void Several_editions_under_one_root_need_an_explicit_choice()
    {
        using var tmp = new TempDir();
        AffWild2Fixture.Create(tmp.Path, AffWild2Edition.Abaw2020);
        AffWild2Fixture.Create(tmp.Path, AffWild2Edition.Abaw2024);
        var e = Assert.Throws<VideoFerException>(() => AffWild2Layout.Detect(tmp.Path));
        Assert.Contains("several Aff-Wild2 editions", e.Message);
        Assert.Equal(AffWild2Edition.Abaw2020, AffWild2Layout.Detect(tmp.Path, AffWild2Edition.Abaw2020).Edition);
        Assert.Equal(AffWild2Edition.Abaw2024, AffWild2Layout.Detect(tmp.Path, AffWild2Edition.Abaw2024).Edition);
    }

    [Theory]
    [InlineData(7, AffWild2Edition.Abaw2021)]
    [InlineData(8, AffWild2Edition.Abaw2022)]
    public void A_renamed_folder_is_told_by_its_header(int classes, AffWild2Edition expected)
    {
        using var tmp = new TempDir();
        var edition = classes == 7 ? AffWild2Edition.Abaw2021 : AffWild2Edition.Abaw2024;
        AffWild2Fixture.Create(tmp.Path, edition, editionFolder: "my_expr_copy");
        Assert.Equal(expected, AffWild2Layout.Detect(Path.Combine(tmp.Path, "my_expr_copy")).Edition);
    }

    [Fact]
    public void A_folder_without_annotations_is_a_clear_error()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Combine("something"));
        var e = Assert.Throws<VideoFerException>(() => AffWild2Layout.Detect(tmp.Path));
        Assert.Contains(tmp.Path, e.Message);
        Assert.Contains("EXPR_Set/Training_Set", e.Message);
        var missing = Assert.Throws<VideoFerException>(() => AffWild2Layout.Detect(tmp.Combine("nope")));
        Assert.Contains("does not exist", missing.Message);
    }

    [Theory]
    [InlineData("2020", AffWild2Edition.Abaw2020)]
    [InlineData("2021", AffWild2Edition.Abaw2021)]
    [InlineData("2022", AffWild2Edition.Abaw2022)]
    [InlineData("ABAW2023", AffWild2Edition.Abaw2022)]
    [InlineData("2024", AffWild2Edition.Abaw2024)]
    public void Edition_names_parse(string text, AffWild2Edition expected) =>
        Assert.Equal(expected, AffWild2Editions.Parse(text));

    [Fact]
    public void Unknown_edition_name_is_a_user_error() =>
        Assert.Throws<VideoFerException>(() => AffWild2Editions.Parse("2019"));
}
