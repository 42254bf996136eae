using TorchSharp;
using VideoFer.Models.Expressions;
using VideoFer.Models.TfJs;
using static TorchSharp.torch;

namespace VideoFer.Models.Identity;

/// <summary>A face-identity embedding: a TF.js graph model that turns a face crop into a descriptor vector,
/// close for two pictures of one person and far for two people. Run on TorchSharp by <see cref="TfJsGraphModel"/>;
/// the descriptor is read from the <see cref="FaceEmbeddingSpec.OutputNode"/> of the graph (for HSE FaceRes the
/// global pooling before its age and gender heads, which are never computed).</summary>
public sealed class FaceEmbeddingModel : IDisposable
{
    private readonly TfJsGraphModel graph;

    private FaceEmbeddingModel(TfJsGraphModel graph, FaceEmbeddingSpec spec, int inputSize)
    {
        this.graph = graph;
        Spec = spec;
        InputSize = inputSize;
    }

    /// <summary>Full path of the model.json in use.</summary>
    public string Path => graph.Path;

    /// <summary>How the model is fed and read.</summary>
    public FaceEmbeddingSpec Spec { get; }

    /// <summary>Side of the square RGB input.</summary>
    public int InputSize { get; }

    /// <summary>Length of a descriptor.</summary>
    public int Dimensions { get; private set; }

    /// <summary>Loads the default embedding (<see cref="FaceEmbeddingSpec.FaceRes"/>), found as the default expression
    /// model is (explicit path, VIDEOFER_MODELS, or models/node_modules), or any <paramref name="spec"/>.</summary>
    public static FaceEmbeddingModel Load(string? explicitPath = null, FaceEmbeddingSpec? spec = null, Device? device = null)
    {
        spec ??= FaceEmbeddingSpec.FaceRes;
        string path = File.Exists(explicitPath) ? System.IO.Path.GetFullPath(explicitPath) : EmotionModelLocator.FindFile(spec.FileName, explicitPath);
        var graph = TfJsGraphModel.Load(path, device, anyImageSize: spec.InputSide is not null);
        try
        {
            var shape = graph.Inputs.Count == 1 ? TfJsGraphModel.DeclaredShape(graph.Inputs[0]) : null;
            if (shape is not [_, var h, var w, 3] || h != w || h <= 0)
                throw VideoFerException.InFile(path, "not a face-embedding model VideoFer can feed (one [N, S, S, 3] RGB input)");
            var model = new FaceEmbeddingModel(graph, spec, spec.InputSide ?? (int)h);
            // One run on a grey face fixes the descriptor length and proves the output node exists.
            using var probe = torch.full([1, model.InputSize, model.InputSize, 3], 128f);
            model.Dimensions = model.EmbedModelInput(probe)[0].Length;
            return model;
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>The raw descriptor of each crop (not normalised), the crops run as one batch.</summary>
    public float[][] Embed(IReadOnlyList<FaceCrop> crops)
    {
        if (crops.Count == 0) return [];
        int size = InputSize * InputSize * 3;
        var batch = new float[crops.Count * size];
        for (int i = 0; i < crops.Count; i++)
            FaceEmbeddingPreprocessing.ToModelInput(crops[i], InputSize, Spec).CopyTo(batch, i * size);
        using var input = torch.tensor(batch, [crops.Count, InputSize, InputSize, 3]);
        return EmbedModelInput(input);
    }

    /// <summary>Runs the network alone on pre-processed input, NHWC [N, S, S, 3] float32; returns one descriptor row per image.</summary>
    public float[][] EmbedModelInput(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var output = graph.Execute(new Dictionary<string, Tensor> { [graph.Inputs[0].Name] = input }, [Spec.OutputNode]).Values.Single();
        int n = (int)output.shape[0];
        var flat = output.reshape(n, -1).cpu().data<float>().ToArray();
        int d = flat.Length / n;
        return Enumerable.Range(0, n).Select(i => flat.AsSpan(i * d, d).ToArray()).ToArray();
    }

    public void Dispose() => graph.Dispose();
}
