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

    /// <summary>The Aff-Wild2 edition of the data (its AU score differs by edition); 2021's when the data is not Aff-Wild2.</summary>
    public AffWild2Edition Edition { get; init; } = AffWild2Edition.Abaw2021;

    /// <summary>The action units of the training data's AU annotations, in their order (empty without AU labels).</summary>
    public IReadOnlyList<string> ActionUnits { get; init; } = [];

    /// <summary>Per AU, the weight of its positive frames in the AU loss (see MultiTaskLoss.PositiveWeights); null without AUs.</summary>
    public float[]? AuPositiveWeights { get; init; }

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
            var tasks = config.TaskSet;
            var found = train.Aggregate(AbawTasks.None, (all, t) => all | t.Tasks);
            var lacking = tasks & ~found;
            if (lacking != AbawTasks.None)
                throw new VideoFerException($"{config.AffWild2}: the '{config.TrainSplit}' split has no {AbawTaskNames.Name(lacking)} annotations " +
                    $"(it has: {(found == AbawTasks.None ? "none" : AbawTaskNames.Name(found))}; key 'tasks' is {config.Tasks})");
            var actionUnits = ActionUnitsOf(train, tasks, config.AffWild2!);
            var sampler = new TrainingClipSampler(train, config.ClipLength, tasks);
            var val = reader.Layout.Splits.Contains(config.ValSplit) ? LoadSplit(reader, config.ValSplit, config.AffWild2!) : [];
            if (config.EvalMaxVideos > 0) val = val.Take(config.EvalMaxVideos).ToList();
            return new TrainingSources(config.Stage, sampler, [], val, [])
            {
                Edition = reader.Layout.Edition,
                ActionUnits = actionUnits,
                AuPositiveWeights = actionUnits.Count > 0 && config.AuPositiveWeight
                    ? Objectives.MultiTaskLoss.PositiveWeights(train, actionUnits.Count) : null,
            };
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

    /// <summary>The one AU list of the training tracks (every track of an edition has the same); empty unless au is trained.</summary>
    static IReadOnlyList<string> ActionUnitsOf(IReadOnlyList<VideoTrack> tracks, AbawTasks tasks, string root)
    {
        if (!tasks.HasFlag(AbawTasks.ActionUnits)) return [];
        var lists = tracks.Where(t => t.ActionUnits != null).Select(t => t.ActionUnits!).GroupBy(a => string.Join(",", a.Names)).ToList();
        if (lists.Count > 1)
        {
            var odd = tracks.First(t => t.ActionUnits != null && string.Join(",", t.ActionUnits.Names) != lists[0].Key);
            throw new VideoFerException($"{root}: the AU annotations name different action units ({lists[0].Key} in most, " +
                $"{string.Join(",", odd.ActionUnits!.Names)} in {odd.Stem}); one training run needs one list");
        }
        return lists[0].First().Names;
    }

    /// <summary>The validation (or any) split of an Aff-Wild2 root, for `videofer eval`.</summary>
    public static IReadOnlyList<VideoTrack> LoadAffWild2Split(string root, IReadOnlyList<string> cropped, string split) =>
        LoadAffWild2(root, cropped, split).Tracks;

    /// <summary>A split with every task's labels the copy has, and the copy's edition (its AU score depends on it).</summary>
    public static (IReadOnlyList<VideoTrack> Tracks, AffWild2Edition Edition) LoadAffWild2(string root, IReadOnlyList<string> cropped, string split)
    {
        var reader = AffWild2Reader.Open(RequireDirectory(root, "affwild2"), imageRoots: cropped.Count > 0 ? cropped : null);
        return (LoadSplit(reader, split, root), reader.Layout.Edition);
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
            throw new VideoFerException($"{root}: the '{split}' split is empty (no annotation files)");
        return tracks;
    }

    static string RequireDirectory(string path, string key) =>
        Directory.Exists(path) ? path : throw new VideoFerException($"{path}: dataset path does not exist (key '{key}')");
}
