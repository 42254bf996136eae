using TorchSharp;
using VideoFer.Models.TfJs;
using static TorchSharp.torch;

namespace VideoFer.Models.Expressions;

/// <summary>Human's expression model (<c>--model human</c>; the default until face-api's network measured better,
/// docs/DEFAULT_MODEL.md): the FER2013-trained big-Xception published as a TF.js
/// graph model in npm's @vladmandic/human 3.3.6 (models/emotion.json, MIT; originally oarriaga's
/// face_classification), run on TorchSharp by <see cref="TfJsGraphModel"/>. Takes a face crop, pre-processes it
/// as its publisher does (<see cref="EmotionPreprocessing"/>) and returns the 7 class probabilities in ABAW
/// order (Neutral, Anger, Disgust, Fear, Happiness, Sadness, Surprise). One frame at a time: no temporal context.</summary>
public sealed class EmotionModel : IFaceExpressionModel
{
    /// <summary>The model's own class order (FER2013's): angry, disgust, fear, happy, sad, surprise, neutral.</summary>
    public static readonly IReadOnlyList<string> ModelClasses = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    // ABAW index -> model output index.
    private static readonly int[] AbawFromModel =
    [
        6, // Neutral <- neutral
        0, // Anger <- angry
        1, // Disgust <- disgust
        2, // Fear <- fear
        3, // Happiness <- happy
        4, // Sadness <- sad
        5, // Surprise <- surprise
    ];

    private readonly TfJsGraphModel graph;

    private EmotionModel(TfJsGraphModel graph, int inputSize)
    {
        this.graph = graph;
        InputSize = inputSize;
    }

    /// <summary>Full path of the emotion.json in use.</summary>
    public string Path => graph.Path;

    public string Name => "human";

    /// <summary>256: Human cuts the face square at 256 x 256 and this model resizes it to 64 (every 4th pixel).</summary>
    public int CropSide => 256;

    /// <summary>Side of the square grayscale input (64).</summary>
    public int InputSize { get; }

    /// <summary>Loads the model found by <see cref="EmotionModelLocator.Find"/> (explicit path, VIDEOFER_MODELS,
    /// or models/node_modules).</summary>
    public static EmotionModel Load(string? explicitPath = null, Device? device = null)
    {
        string path = EmotionModelLocator.Find(explicitPath);
        var graph = TfJsGraphModel.Load(path, device);
        try
        {
            var shape = graph.Inputs.Count == 1 ? TfJsGraphModel.DeclaredShape(graph.Inputs[0]) : null;
            if (shape is not [_, var h, var w, 1] || h != w || h <= 0 || graph.Outputs.Count != 1)
                throw VideoFerException.InFile(path,
                    "not the grayscale emotion model VideoFer expects (one [N, S, S, 1] input, one 7-class output)");
            return new EmotionModel(graph, (int)h);
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>Probabilities of the 7 expressions in ABAW order for one face crop.</summary>
    public float[] Predict(FaceCrop crop) => Predict([crop])[0];

    /// <summary>Probabilities of the 7 expressions in ABAW order for each face crop, run as one batch.</summary>
    public float[][] Predict(IReadOnlyList<FaceCrop> crops)
    {
        if (crops.Count == 0) return [];
        int pixels = InputSize * InputSize;
        var batch = new float[crops.Count * pixels];
        for (int i = 0; i < crops.Count; i++)
            EmotionPreprocessing.ToModelInput(crops[i], InputSize).CopyTo(batch, i * pixels);
        using var input = torch.tensor(batch, [crops.Count, InputSize, InputSize, 1]);
        return ToAbaw(PredictModelOrder(input));
    }

    /// <summary>Runs the network alone on pre-processed input, NHWC [N, S, S, 1] float32; returns the raw
    /// output rows in the model's own class order (<see cref="ModelClasses"/>).</summary>
    public float[][] PredictModelOrder(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var output = graph.Execute(input);
        if (output.dim() != 2 || output.shape[1] != ModelClasses.Count)
            throw VideoFerException.InFile(Path, $"output shape [{string.Join(", ", output.shape)}], expected [N, {ModelClasses.Count}]");
        var flat = output.cpu().data<float>().ToArray();
        int n = (int)output.shape[0];
        return Enumerable.Range(0, n).Select(i => flat.AsSpan(i * ModelClasses.Count, ModelClasses.Count).ToArray()).ToArray();
    }

    /// <summary>Reorders rows of model-order probabilities into ABAW order.</summary>
    public static float[][] ToAbaw(float[][] modelOrder) =>
        modelOrder.Select(row => AbawFromModel.Select(m => row[m]).ToArray()).ToArray();

    public void Dispose() => graph.Dispose();
}
