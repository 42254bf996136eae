using VideoFer.Datasets;
using VideoFer.Datasets.AffWild2;

namespace VideoFer.Data.Synthetic;

/// <summary>What <see cref="SyntheticDatasetWriter"/> generates. Everything written is a function of these
/// values except <see cref="Workers"/>, which only changes the speed.</summary>
public sealed record SynthOptions
{
    /// <summary>Number of videos; about one in five has two people and so two tracks (<c>_left</c>, <c>_right</c>).</summary>
    public int Videos { get; init; } = 20;
    public ulong Seed { get; init; }
    public int FramesMin { get; init; } = 100;
    public int FramesMax { get; init; } = 200;
    /// <summary>Side of the square face crops, in pixels (Aff-Wild2's cropped_aligned images are 112).</summary>
    public int Size { get; init; } = 112;
    /// <summary>Number of AffectNet-style still images (0 = none).</summary>
    public int AffectNetImages { get; init; } = 700;
    /// <summary>Whose folder layout, expression header and AU list the Aff-Wild2 copy follows.</summary>
    public AffWild2Edition Edition { get; init; } = AffWild2Edition.Abaw2020;
    /// <summary>Which tasks' annotation files are written (expression, valence-arousal, action units).</summary>
    public AbawTasks Tasks { get; init; } = AbawTasks.All;
    /// <summary>Fraction of tracks without a VA file, and independently without an AU file.</summary>
    public double MissingTaskTracks { get; init; } = 0.2;
    /// <summary>Fraction of tracks without an EXPR file (0: every track has one, as before VA and AU existed).</summary>
    public double MissingExpressionTracks { get; init; }
    /// <summary>Expected fraction of the frames of a VA or AU file marked unannotated (-5 / -1), in runs.</summary>
    public double UnannotatedFrames { get; init; } = 0.04;
    /// <summary>Also write the multi-task lists training_set_annotations.txt / validation_set_annotations.txt
    /// (ABAW3 MTL, s-Aff-Wild2); edition 2022 only.</summary>
    public bool MultiTaskFiles { get; init; }
    /// <summary>Threads used to render; does not affect the output.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>JPEG quality of every image, fixed so that output bytes depend only on the seed.</summary>
    public const int JpegQuality = 90;

    /// <summary>Throws <see cref="VideoFerException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Videos < 1) throw new VideoFerException($"--videos must be at least 1 (got {Videos}).");
        if (Videos > 100_000) throw new VideoFerException($"--videos must be at most 100000 (got {Videos}).");
        if (FramesMin < 8) throw new VideoFerException($"--frames-min must be at least 8, one clip (got {FramesMin}).");
        if (FramesMax < FramesMin) throw new VideoFerException($"--frames-max ({FramesMax}) must not be less than --frames-min ({FramesMin}).");
        if (FramesMax > 99_999) throw new VideoFerException($"--frames-max must be at most 99999, the largest 5-digit frame number (got {FramesMax}).");
        if (Size < 48 || Size > 1024) throw new VideoFerException($"--size must be between 48 and 1024 pixels (got {Size}).");
        if (AffectNetImages < 0) throw new VideoFerException($"--affectnet-images must not be negative (got {AffectNetImages}).");
        if (Workers < 1) throw new VideoFerException($"--workers must be at least 1 (got {Workers}).");
        if (Tasks == AbawTasks.None || (Tasks & ~AbawTasks.All) != 0) throw new VideoFerException($"--tasks must name at least one of expr, va, au (got {(int)Tasks}).");
        if (!(MissingTaskTracks is >= 0 and <= 1)) throw new VideoFerException($"--missing-task-tracks must be between 0 and 1 (got {MissingTaskTracks.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        if (!(MissingExpressionTracks is >= 0 and <= 1)) throw new VideoFerException($"--missing-expr-tracks must be between 0 and 1 (got {MissingExpressionTracks.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        if (!(UnannotatedFrames is >= 0 and <= 0.9)) throw new VideoFerException($"--unannotated-frames must be between 0 and 0.9 (got {UnannotatedFrames.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        if (MultiTaskFiles && Edition != AffWild2Edition.Abaw2022)
            throw new VideoFerException($"--mtl needs --edition 2022 (the multi-task lists of ABAW3, s-Aff-Wild2); got edition {Edition.Name()}.");
    }
}
