using static TorchSharp.torch;

namespace VideoFer.Models.Onnx;

/// <summary>A network's state_dict seen by the exporter: each tensor becomes an initializer named
/// like its PyTorch key the first time a node uses it (CBAM's shared MLP uses its weights twice).</summary>
sealed class OnnxWeights(OnnxGraph graph, IReadOnlyDictionary<string, Tensor> state)
{
    readonly HashSet<string> _added = [];

    public bool Has(string key) => state.ContainsKey(key);

    public Tensor Tensor(string key) =>
        state.TryGetValue(key, out var t) ? t : throw new InvalidOperationException($"the network has no tensor '{key}'");

    /// <summary>The initializer of <paramref name="key"/>, added on first use.</summary>
    public string Get(string key)
    {
        if (_added.Add(key)) graph.Weight(key, Tensor(key));
        return key;
    }

    /// <summary>An initializer computed from the state (reordered LSTM gates, transposed matrices);
    /// <paramref name="make"/>'s result and intermediates are disposed once stored.</summary>
    public string Derived(string name, Func<Tensor> make)
    {
        if (_added.Add(name))
        {
            using var scope = NewDisposeScope();
            graph.Weight(name, make());
        }
        return name;
    }
}
