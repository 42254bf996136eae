using System.Numerics.Tensors;
using VideoFer.Inference.People;

namespace VideoFer.Inference.Photos;

/// <summary>People across the photos of a collection: a face joins the person whose faces' mean descriptor is closest,
/// when the cosine distance is below the threshold (<see cref="PeopleLinker.DefaultThreshold"/>, the video linker's,
/// chosen on distances that include photo-to-photo pairs of one person, docs/FACES.md) and that person has no face in
/// the same photo (two faces of one photo are two people); otherwise it starts a new person. A face with no descriptor
/// (too small or in profile to compare) is a person of its own. One pass in collection order, each face against the
/// people so far: linear in the faces times the people, so 10,000 photos link in seconds, where the video linker's
/// average linkage over every pair would not fit in memory.</summary>
public static class PhotoPeople
{
    /// <summary>A face to link: its photo (an index; faces of one photo never share a person) and its unit descriptor.</summary>
    public readonly record struct Face(int Photo, float[]? Identity);

    /// <summary>The person of each face, 1, 2, ... in order of first appearance.</summary>
    public static int[] Link(IReadOnlyList<Face> faces, double threshold = PeopleLinker.DefaultThreshold)
    {
        var person = new int[faces.Count];
        var sums = new List<float[]>();       // per person: the sum of its unit descriptors
        var norms = new List<float>();        // and that sum's length, for the mean's direction
        var lastPhoto = new List<int>();      // the last photo a person was seen in (faces come photo by photo)
        int next = 0;
        for (int i = 0; i < faces.Count; i++)
        {
            var (photo, identity) = faces[i];
            int best = -1;
            double bestDistance = threshold;
            if (identity is not null)
                for (int p = 0; p < sums.Count; p++)
                {
                    if (norms[p] <= 0 || lastPhoto[p] == photo) continue;
                    double distance = 1 - TensorPrimitives.Dot(sums[p], identity) / norms[p];
                    if (distance < bestDistance) { bestDistance = distance; best = p; }
                }
            if (best < 0)
            {
                best = next++;
                sums.Add(identity is null ? [] : (float[])identity.Clone());
                norms.Add(identity is null ? 0 : TensorPrimitives.Norm(identity));
                lastPhoto.Add(photo);
            }
            else
            {
                TensorPrimitives.Add(sums[best], identity!, sums[best]);
                norms[best] = TensorPrimitives.Norm(sums[best]);
                lastPhoto[best] = photo;
            }
            person[i] = best + 1;
        }
        return person;
    }
}
