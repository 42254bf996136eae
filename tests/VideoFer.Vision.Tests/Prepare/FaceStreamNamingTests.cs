using VideoFer.Vision.Prepare;
using T = VideoFer.Vision.Prepare.FaceStreamNaming.TrackSummary;

namespace VideoFer.Vision.Tests.Prepare;

public class FaceStreamNamingTests
{
    [Fact]
    public void One_track_keeps_the_plain_stem() =>
        Assert.Equal((1, "v"), FaceStreamNaming.Assign("v", [new T(7, 3, 100)], leftRight: true)[7]);

    [Fact]
    public void Several_tracks_are_numbered_by_first_appearance()
    {
        var names = FaceStreamNaming.Assign("v", [new T(5, 30, 0), new T(2, 10, 0), new T(9, 10, 0)], leftRight: true);
        Assert.Equal("v_1", names[2].Name);
        Assert.Equal("v_2", names[9].Name);
        Assert.Equal("v_3", names[5].Name);
    }

    [Fact]
    public void Two_tracks_may_be_named_by_side()
    {
        var names = FaceStreamNaming.Assign("v", [new T(1, 1, 600), new T(2, 1, 100)], leftRight: true);
        Assert.Equal("v_right", names[1].Name);
        Assert.Equal("v_left", names[2].Name);
        Assert.Equal("v_1", FaceStreamNaming.Assign("v", [new T(1, 1, 600), new T(2, 1, 100)], leftRight: false)[1].Name);
    }
}
