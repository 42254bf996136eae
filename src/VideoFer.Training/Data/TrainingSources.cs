using VideoFer.Clips;
using VideoFer.Datasets;
using VideoFer.Datasets.AffectNet;
using VideoFer.Datasets.AffWild2;
using VideoFer.Datasets.RafDb;
using VideoFer.Training.Config;

namespace VideoFer.Training.Data;

/// <summary>What one training run reads, resolved from its config: the training clips (Aff-Wild2) or
/// images (AffectNet, RAF-DB), and the validation tracks or images. Missing paths and empty splits
/// are reported as one clear error each.</summary>
public sealed class TrainingSources
{
    public TrainStage Stage { get; }
    public TrainingClipSampler? ClipSampler { get; }
    public IReadOnlyList<FrameItem> TrainImages { get; } = [];
    public IReadOnlyList<VideoTrack> ValidationTracks { get; } = [];
    public IReadOnlyList<FrameItem> ValidationImages { get; } = [];

    TrainingSources(TrainStage stage, TrainingClipSampler? sampler, IReadOnlyList<FrameItem> trainImages,
        IReadOnlyList<VideoTrack> valTracks, IReadOnlyList<FrameItem> valImages)
    {
        Stage = stage;
        ClipSampler = sampler;
        TrainImages = trainImages;
        ValidationTracks = valTracks;
        ValidationImages = valImages;
    }

    public static TrainingSources Open(TrainConfig config)
    {
        if (config.Stage == TrainStage.Clips)
        {
            var reader = OpenAffWild2(config);
            var train = LoadSplit(reader, config.TrainSplit, config.AffWild2!);
            var sampler = new TrainingClipSampler(train, config.ClipLength);
            var val = reader.Layout.Splits.Contains(config.ValSplit) ? LoadSplit(reader, config.ValSplit, config.AffWild2!) : [];
            if (config.EvalMaxVideos > 0) val = val.Take(config.EvalMaxVideos).ToList();
            return new TrainingSources(config.Stage, sampler, [], val, []);
        }

        var trainImages = new List<FrameItem>();
        var valImages = new List<FrameItem>();
        IReadOnlyList<VideoTrack> frameValTracks = [];
        if (config.AffWild2 != null)
        {
            // Aff-Wild2 frames as still images: every frame with an image and a label; validation per frame on tracks.
            var reader = OpenAffWild2(config);
            foreach (var track in LoadSplit(reader, config.TrainSplit, config.AffWild2))
                trainImages.AddRange(track.Items().Where(i => i.ImagePath != null && i.Label >= 0));
            if (reader.Layout.Splits.Contains(config.ValSplit)) frameValTracks = LoadSplit(reader, config.ValSplit, config.AffWild2);
            if (config.EvalMaxVideos > 0) frameValTracks = frameValTracks.Take(config.EvalMaxVideos).ToList();
        }
        if (config.AffectNet != null)
        {
            var affectnet = AffectNetReader.Open(RequireDirectory(config.AffectNet, "affectnet"),
                new AffectNetOptions { ClassCount = config.Classes });
            trainImages.AddRange(affectnet.Items(config.TrainSplit).Where(i => i.ImagePath != null));
            if (affectnet.Splits.Contains(config.ValSplit))
                valImages.AddRange(affectnet.Items(config.ValSplit).Where(i => i.ImagePath != null));
        }
        if (config.RafDb != null)
        {
            var rafdb = RafDbReader.Open(RequireDirectory(config.RafDb, "rafdb"));
            trainImages.AddRange(rafdb.Items(Splits.Train).Where(i => i.ImagePath != null));
            valImages.AddRange(rafdb.Items("test").Where(i => i.ImagePath != null));
        }
        if (trainImages.Count == 0)
            throw new VideoFerException($"the '{config.TrainSplit}' split of {config.AffectNet ?? config.RafDb ?? config.AffWild2} has no labelled images");
        if (config.EvalMaxVideos > 0) valImages = valImages.Take(config.EvalMaxVideos * 100).ToList();
        return new TrainingSources(config.Stage, null, trainImages, frameValTracks, valImages);
    }

    /// <summary>The validation (or any) split of an Aff-Wild2 root, for `videofer eval`.</summary>
    public static IReadOnlyList<VideoTrack> LoadAffWild2Split(string root, IReadOnlyList<string> cropped, string split)
    {
        var reader = AffWild2Reader.Open(RequireDirectory(root, "affwild2"), imageRoots: cropped.Count > 0 ? cropped : null);
        return LoadSplit(reader, split, root);
    }

    static AffWild2Reader OpenAffWild2(TrainConfig config)
    {
        foreach (var c in config.Cropped) RequireDirectory(c, "cropped");
        return AffWild2Reader.Open(RequireDirectory(config.AffWild2!, "affwild2"),
            imageRoots: config.Cropped.Count > 0 ? config.Cropped : null);
    }

    static IReadOnlyList<VideoTrack> LoadSplit(AffWild2Reader reader, string split, string root)
    {
        if (!reader.Layout.Splits.Contains(split))
            throw new VideoFerException($"{root}: Aff-Wild2 has no '{split}' split here (it has: {string.Join(", ", reader.Layout.Splits)})");
        var tracks = reader.LoadSplit(split);
        if (tracks.Count == 0)
            throw new VideoFerException($"{reader.Layout.SplitDirectory(split)}: the '{split}' split is empty (no annotation files)");
        return tracks;
    }

    static string RequireDirectory(string path, string key) =>
        Directory.Exists(path) ? path : throw new VideoFerException($"{path}: dataset path does not exist (key '{key}')");
}
