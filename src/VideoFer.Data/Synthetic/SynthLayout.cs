using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;

namespace VideoFer.Data.Synthetic;

/// <summary>Paths of the synthetic dataset, which follows an Aff-Wild2 release (2020 FG by default; see
/// <see cref="TaskFolder"/> for the others) and the original AffectNet release (see docs/datasets.md), plus
/// two VideoFer extras: per-frame ground truth in <c>synth_meta/</c> and the completion marker <c>synth.json</c>.</summary>
public static class SynthLayout
{
    public const string AnnotationRoot = "annotations/EXPR_Set";
    public const string TrainingFolder = "Training_Set";
    public const string ValidationFolder = "Validation_Set";
    public const string CroppedAligned = "cropped_aligned";
    public const string AffectNetRoot = "AffectNet";
    public const string AffectNetLists = "Manually_Annotated_file_lists";
    public const string AffectNetImages = "Manually_Annotated_Images";
    public const string Meta = "synth_meta";
    /// <summary>Written last, before the folder gets its final name: its presence means the dataset is complete.</summary>
    public const string Manifest = "synth.json";

    public const string Header7 = "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise";
    public const string AffectNetHeader = "subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal";

    public static string AnnotationFile(string root, bool validation, string stem) =>
        Path.Combine(root, AnnotationRoot, validation ? ValidationFolder : TrainingFolder, stem + ".txt");

    /// <summary>First line of a VA file.</summary>
    public const string ValenceArousalHeader = "valence,arousal";

    /// <summary>Multi-task lists (ABAW3 MTL, s-Aff-Wild2), written at the dataset root beside cropped_aligned.</summary>
    public const string MultiTaskTraining = "training_set_annotations.txt", MultiTaskValidation = "validation_set_annotations.txt";

    /// <summary>The annotation folder of a task in an edition, relative to the dataset root:
    /// 2020 <c>annotations/{EXPR,VA,AU}_Set</c> (splits Training_Set, Validation_Set); 2021 the same folders
    /// with Train_Set; 2022/2023 <c>EXPR_Classification_Challenge</c>, <c>VA_Estimation_Challenge</c>,
    /// <c>AU_Detection_Challenge</c>; 2024 <c>EXPR_Recognition_Challenge</c> and the 2022 VA and AU folders.</summary>
    public static string TaskFolder(AffWild2Edition edition, AbawTasks task) => Path.Combine("annotations", task switch
    {
        AbawTasks.Expression => edition.AnnotationFolders()[0],
        AbawTasks.ValenceArousal => edition is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021 ? "VA_Set" : "VA_Estimation_Challenge",
        AbawTasks.ActionUnits => edition is AffWild2Edition.Abaw2020 or AffWild2Edition.Abaw2021 ? "AU_Set" : "AU_Detection_Challenge",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "one task"),
    });

    /// <summary>The split folder of a task's annotations.</summary>
    public static string TaskSplitFolder(string root, AffWild2Edition edition, AbawTasks task, bool validation) =>
        Path.Combine(root, TaskFolder(edition, task), validation ? AffWild2Editions.ValidationFolder : edition.TrainFolder());

    /// <summary>A track's annotation file for a task: <c>&lt;task folder&gt;/&lt;split&gt;/&lt;stem&gt;.txt</c>.</summary>
    public static string TaskFile(string root, AffWild2Edition edition, AbawTasks task, bool validation, string stem) =>
        Path.Combine(TaskSplitFolder(root, edition, task, validation), stem + ".txt");

    /// <summary>The header of the multi-task lists: image, valence, arousal, expression, then the 12 AUs.</summary>
    public static string MultiTaskHeader => "image,valence,arousal,expression," + string.Join(',', FaceAffect.Abaw2021Units);

    /// <summary><c>cropped_aligned/&lt;stem&gt;/NNNNN.jpg</c>, 5 digits, 1-based.</summary>
    public static string FrameImage(string root, string stem, int frame) =>
        Path.Combine(root, CroppedAligned, stem, frame.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".jpg");

    public static string MetaFile(string root, string stem) => Path.Combine(root, Meta, stem + ".csv");
}
