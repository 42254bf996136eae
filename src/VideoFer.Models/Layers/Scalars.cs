using TorchSharp;

namespace VideoFer.Models.Layers;

/// <summary>Long-lived torch scalars for the hot paths.
/// <para>Why: TorchSharp turns a C# number into a <see cref="Scalar"/> implicitly and passes only its
/// native handle to libtorch; nothing keeps that temporary alive during the call, so a garbage
/// collection triggered by another thread (the data loaders allocate a lot) can finalise it while
/// libtorch still reads it. We saw training die with "Unknown scalar type" that way. Scalars held
/// in static fields are always reachable, so the race cannot happen with them.</para></summary>
public static class Scalars
{
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar MinusOne = (-1).ToScalar(); // x.add(y, MinusOne) is x - y exactly
    public static readonly Scalar OneLong = 1L.ToScalar();
    public static readonly Scalar Zero = 0f.ToScalar();
}
