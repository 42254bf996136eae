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
    // How this video's frames are turned before detection (null: upright): a video filmed sideways or upside
    // down is searched and followed turned, once a search found its faces only that way.
    RotateFlags? _turn;

    public FaceSearchResult Next(Mat bgrImage, bool rescan)
    {
        if (bgrImage.Empty()) { _followed = []; return FaceSearchResult.Nothing; }
        if (_options.FullSearchEvery <= 1) return detector.Search(bgrImage);
        var result = NextTurned(bgrImage, rescan, out bool searched, out bool searchedWithTiles);
        if (searched && _options.TurnedFaces && BlazeFaceDetector.UprightTurn(result.Faces, _turn) is RotateFlags upright)
        {
            // The faces lie on their side in the frame (a video filmed sideways): from now on the frames are turned
            // so that they stand upright, where their boxes and keypoints are right.
            _turn = Compose(_turn, upright);
            _followed = [];
            var again = NextTurned(bgrImage, rescan: true, out _, out _);
            return again with { Regions = result.Regions + again.Regions, ForwardPasses = result.ForwardPasses + again.ForwardPasses };
        }
        if (result.Faces.Count == 0 && searchedWithTiles && _options.TurnedFaces)
        {
            // Nothing this way at a full search: try the other orientations, and keep the first that finds a face.
            int regions = result.Regions, passes = result.ForwardPasses;
            foreach (RotateFlags? turn in BlazeFaceDetector.Turns.Select(t => (RotateFlags?)t).Prepend(null).Where(t => t != _turn))
            {
                using var turned = turn is RotateFlags t ? BlazeFaceDetector.Turn(bgrImage, t) : bgrImage.Clone();
                var tried = detector.Search(turned, withTiles: true, closeUps: _options.CloseUps, turned: false);
                regions += tried.Regions;
                passes += tried.ForwardPasses;
                // Upright needs a face; a turn, a sure one (FaceDetectorOptions.TurnedMinScore).
                if (!tried.Faces.Any(f => turn is null || f.Score >= _options.TurnedMinScore)) continue;
                _turn = turn;
                _followed = [];
                result = NextTurned(bgrImage, rescan: true, out _, out _);
                return result with { Regions = regions + result.Regions, ForwardPasses = passes + result.ForwardPasses };
            }
            return result with { Regions = regions, ForwardPasses = passes };
        }
        return result;
    }

    /// <summary>The frame in this video's orientation (<see cref="_turn"/>), searched or followed, with the faces
    /// in the frame's own coordinates.</summary>
    FaceSearchResult NextTurned(Mat bgrImage, bool rescan, out bool searched, out bool searchedWithTiles)
    {
        if (_turn is not RotateFlags turn) return NextUpright(bgrImage, rescan, out searched, out searchedWithTiles);
        using var turned = BlazeFaceDetector.Turn(bgrImage, turn);
        var result = NextUpright(turned, rescan, out searched, out searchedWithTiles);
        return result with { Faces = [.. result.Faces.Select(f => BlazeFaceDetector.TurnBack(f, turn, bgrImage.Width, bgrImage.Height))] };
    }

    /// <summary>The frame turned first by <paramref name="first"/>, then by <paramref name="then"/>, as one turn (null: none).</summary>
    static RotateFlags? Compose(RotateFlags? first, RotateFlags then)
    {
        static int Quarters(RotateFlags? t) => t switch
        {
            RotateFlags.Rotate90Clockwise => 1, RotateFlags.Rotate180 => 2, RotateFlags.Rotate90Counterclockwise => 3, _ => 0,
        };
        return ((Quarters(first) + Quarters(then)) % 4) switch
        {
            1 => RotateFlags.Rotate90Clockwise, 2 => RotateFlags.Rotate180, 3 => RotateFlags.Rotate90Counterclockwise, _ => null,
        };
    }

    FaceSearchResult NextUpright(Mat bgrImage, bool rescan, out bool searched, out bool searchedWithTiles)
    {
        if (rescan) _followed = []; // a new shot: the old regions show something else
        var next = FollowKnownFaces(bgrImage, out bool lost);
        int regions = _followed.Count, passes = _followed.Count;
        bool withTiles = rescan || lost || _sinceTiles >= _options.TileSearchEvery - 1;
        bool search = withTiles || _followed.Count == 0 || _sinceFullSearch >= _options.FullSearchEvery - 1;
        searchedWithTiles = withTiles;
        searched = search;
        if (search)
        {
            // The close-up pass only where no face is followed: beside known faces it found hands and crowds.
            var found = detector.Search(bgrImage, withTiles, closeUps: _options.CloseUps && next.Count == 0, turned: false);
            regions += found.Regions;
            passes += found.ForwardPasses; // one when the search's regions go as a batch
            // Every face's keypoints come from one model, from its first frame on: switching models
            // moves them a little, which showed as jitter. So a followed face keeps its follower's
            // detection, and a new one is measured once more by the short-range model in its new
            // region; one that model does not see there (a profile, a face far away) is followed by
            // the full-range model in its region, instead of a full search on every frame.
            var known = next.Select(n => n.Face).ToList();
            foreach (var face in found.Faces.Where(s => !known.Any(f => FaceDetection.IoU(f.Box, s.Box) > _options.NmsIoU)))
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
        // A merged face counts as the full-range model's when that model saw most of it; a rolled face is measured
        // again upright, as the search measures it.
        return [.. WeightedNms.Apply(found, _options.NmsIoU, _options.WeightedNms).Select(face => (detector.MeasureUpright(image, face),
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
    /// side around its centre, clipped to the frame; a face that fills the frame (a close-up) keeps the whole
    /// square, black beyond the frame, so that the short-range model sees it at the size it expects.</summary>
    FollowedRegion NewFollowRegion(FaceDetection face, Mat image, bool fullRange)
    {
        float side = _options.FollowRegionScale * Math.Max(face.Box.Width, face.Box.Height);
        var c = face.Center;
        int s = (int)Math.Round(side);
        var square = new Rect((int)Math.Round(c.X - side / 2), (int)Math.Round(c.Y - side / 2), s, s);
        var frame = BlazeFaceDetector.WholeFrame(image);
        var region = square & frame;
        if (region == frame && !fullRange) region = square;
        return new FollowedRegion(region, c, side, fullRange);
    }
}
