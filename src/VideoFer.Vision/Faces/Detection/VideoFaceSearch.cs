using OpenCvSharp;

namespace VideoFer.Vision.Faces.Detection;

/// <summary>BlazeFace's video mode (see <see cref="FaceDetectorOptions.FullSearchEvery"/>) over one video:
/// the full search on the first frame, at shot cuts, whenever a followed face is lost (whole frame and
/// tiles), on every k-th frame (whole frame; tiles every <see cref="FaceDetectorOptions.TileSearchEvery"/>
/// frames) and, while no face is followed, on every frame (whole frame); otherwise each known face's
/// region only. The detector stays stateless; what this search remembers between frames is here.</summary>
public sealed class VideoFaceSearch(BlazeFaceDetector detector) : IVideoFaceSearch
{
    readonly FaceDetectorOptions _options = detector.Options;

    /// <summary>A followed face's region (inside the frame), the square it was cut from, and whether the
    /// full-range model follows it (the short-range one did not see the face).</summary>
    readonly record struct FollowedRegion(Rect Region, Point2f Centre, float Side, bool FullRange);

    List<FollowedRegion> _followed = [];
    int _sinceFullSearch, _sinceTiles;

    public FaceSearchResult Next(Mat bgrImage, bool rescan)
    {
        if (bgrImage.Empty()) { _followed = []; return FaceSearchResult.Nothing; }
        if (_options.FullSearchEvery <= 1) return detector.Search(bgrImage);
        if (rescan) _followed = []; // a new shot: the old regions show something else
        var next = FollowKnownFaces(bgrImage, out bool lost);
        int regions = _followed.Count, passes = _followed.Count;
        bool withTiles = rescan || lost || _sinceTiles >= _options.TileSearchEvery - 1;
        bool search = withTiles || _followed.Count == 0 || _sinceFullSearch >= _options.FullSearchEvery - 1;
        if (search)
        {
            var searched = detector.Search(bgrImage, withTiles);
            regions += searched.Regions;
            passes += searched.ForwardPasses; // one when the search's regions go as a batch
            // Every face's keypoints come from one model, from its first frame on: switching models
            // moves them a little, which showed as jitter. So a followed face keeps its follower's
            // detection, and a new one is measured once more by the short-range model in its new
            // region; one that model does not see there (a profile, a face far away) is followed by
            // the full-range model in its region, instead of a full search on every frame.
            var known = next.Select(n => n.Face).ToList();
            foreach (var face in searched.Faces.Where(s => !known.Any(f => FaceDetection.IoU(f.Box, s.Box) > _options.NmsIoU)))
            {
                var region = NewFollowRegion(face, bgrImage, fullRange: false);
                List<FaceDetection> again = [];
                if (region.Region.Width > 0 && region.Region.Height > 0) { again = detector.ShortRange.DetectInRegion(bgrImage, region.Region); regions++; passes++; }
                var best = again.MaxBy(f => FaceDetection.IoU(f.Box, face.Box));
                bool confirmed = best != null && FaceDetection.IoU(best.Box, face.Box) > _options.NmsIoU;
                next.Add(confirmed ? (best!, false) : (face, true));
            }
            next.Sort((a, b) => b.Face.Score.CompareTo(a.Face.Score));
            _followed = [.. next.Select(n => FollowRegion(n.Face, bgrImage, n.FullRange)).Where(r => r.Region.Width > 0 && r.Region.Height > 0)];
        }
        _sinceFullSearch = search ? 0 : _sinceFullSearch + 1;
        _sinceTiles = withTiles ? 0 : _sinceTiles + 1;
        return new FaceSearchResult([.. next.Select(n => n.Face)], regions, passes);
    }

    /// <summary>Detects in each followed region with its model: the faces, each with whether the
    /// full-range model found it; <paramref name="lost"/> when a region came back empty.</summary>
    List<(FaceDetection Face, bool FullRange)> FollowKnownFaces(Mat image, out bool lost)
    {
        lost = false;
        if (_followed.Count == 0) return [];
        var found = new List<FaceDetection>();
        var fullRange = new HashSet<FaceDetection>(ReferenceEqualityComparer.Instance);
        foreach (var followed in _followed)
        {
            var faces = (followed.FullRange ? detector : detector.ShortRange).DetectInRegion(image, followed.Region);
            lost |= faces.Count == 0;
            found.AddRange(faces);
            if (followed.FullRange) fullRange.UnionWith(faces);
        }
        // A merged face counts as the full-range model's when that model saw most of it.
        return [.. WeightedNms.Apply(found, _options.NmsIoU, _options.WeightedNms).Select(face => (face,
            found.Where(f => fullRange.Contains(f) && FaceDetection.IoU(f.Box, face.Box) > _options.NmsIoU).Sum(f => f.Score)
            > found.Where(f => !fullRange.Contains(f) && FaceDetection.IoU(f.Box, face.Box) > _options.NmsIoU).Sum(f => f.Score)))];
    }

    /// <summary>The face's region for the frames up to the next search. Regions stay put while the face
    /// stays near their centre at about the same size: a region moving with every detection feeds its
    /// own jitter back (on Megamind, keypoint jitter rose by half when it did).</summary>
    FollowedRegion FollowRegion(FaceDetection face, Mat image, bool fullRange)
    {
        var fresh = NewFollowRegion(face, image, fullRange);
        foreach (var old in _followed)
        {
            var d = face.Center - old.Centre;
            if (old.FullRange == fullRange && Math.Sqrt(d.X * d.X + d.Y * d.Y) < old.Side / 6 && fresh.Side > 0.8f * old.Side && fresh.Side < 1.25f * old.Side)
                return old;
        }
        return fresh;
    }

    /// <summary>A square of <see cref="FaceDetectorOptions.FollowRegionScale"/> times the box's longer
    /// side around its centre, clipped to the frame.</summary>
    FollowedRegion NewFollowRegion(FaceDetection face, Mat image, bool fullRange)
    {
        float side = _options.FollowRegionScale * Math.Max(face.Box.Width, face.Box.Height);
        var c = face.Center;
        int s = (int)Math.Round(side);
        var region = new Rect((int)Math.Round(c.X - side / 2), (int)Math.Round(c.Y - side / 2), s, s) & BlazeFaceDetector.WholeFrame(image);
        return new FollowedRegion(region, c, side, fullRange);
    }
}
