namespace VideoFer.Data.Synthetic;

/// <summary>Paths of the synthetic dataset, which follows the 2020 (FG) Aff-Wild2 release and the original
/// AffectNet release (see docs/datasets.md), plus two VideoFer extras: per-frame ground truth in
/// <c>synth_meta/</c> and the completion marker <c>synth.json</c>.</summary>
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

    /// <summary><c>cropped_aligned/&lt;stem&gt;/NNNNN.jpg</c>, 5 digits, 1-based.</summary>
    public static string FrameImage(string root, string stem, int frame) =>
        Path.Combine(root, CroppedAligned, stem, frame.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".jpg");

    public static string MetaFile(string root, string stem) => Path.Combine(root, Meta, stem + ".csv");
}
