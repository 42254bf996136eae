using System.Collections;
using System.IO.Compression;
using TorchSharp;
using TorchSharp.PyBridge;
using VideoFer.Submissions;
using static TorchSharp.torch;
using VideoFer.IO;

namespace VideoFer.Models.Weights;

/// <summary>Reads and writes PyTorch <c>torch.save</c> files (the zip format of PyTorch >= 1.6) through
/// TorchSharp.PyBridge, turning every failure into one clear <see cref="VideoFerException"/>.</summary>
public static class StateDictFile
{
    /// <summary>Reads the whole pickled object: a dictionary whose values are tensors, nested dictionaries,
    /// strings or numbers (a bare state_dict, or a checkpoint such as {"model": ..., "videofer": ...}).</summary>
    public static Hashtable ReadObject(string path)
    {
        if (!File.Exists(path))
            throw VideoFerException.InFile(path, "weights file not found");
        using var stream = File.OpenRead(path);
        if (stream.Length == 0)
            throw VideoFerException.InFile(path, "weights file is empty");
        Span<byte> magic = stackalloc byte[4];
        int read = stream.Read(magic);
        if (read < 4 || magic[0] != 0x50 || magic[1] != 0x4B)
            throw VideoFerException.InFile(path,
                "not a PyTorch weights file (expected the zip format written by torch.save in PyTorch >= 1.6; " +
                "re-save legacy files with torch.save(obj, path, _use_new_zipfile_serialization=True))");
        stream.Position = 0;
        try
        {
            return PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw VideoFerException.InFile(path, $"truncated or corrupt weights file ({e.Message.TrimEnd('.')})");
        }
        catch (Exception e) when (e is not VideoFerException)
        {
            throw VideoFerException.InFile(path, $"unreadable weights file ({e.GetType().Name}: {e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>Reads a state_dict: either the file's top-level dictionary, or the one stored under
    /// "model" or "state_dict" (the usual checkpoint layouts). A DataParallel "module." prefix is removed.</summary>
    public static Dictionary<string, Tensor> ReadStateDict(string path) => StateDictOf(ReadObject(path), path);

    /// <summary>The state_dict inside an already read object (see <see cref="ReadStateDict"/>).</summary>
    public static Dictionary<string, Tensor> StateDictOf(Hashtable root, string path)
    {
        Hashtable dict = root;
        foreach (var key in new[] { "model", "state_dict" })
            if (root[key] is Hashtable nested) { dict = nested; break; }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in dict)
        {
            if (entry.Value is not Tensor tensor) continue;
            string name = (string)entry.Key;
            if (name.StartsWith("module.", StringComparison.Ordinal)) name = name["module.".Length..];
            result[name] = tensor;
        }
        if (result.Count == 0)
            throw VideoFerException.InFile(path, "contains no tensors (not a state_dict or checkpoint)");
        return result;
    }

    /// <summary>Writes a dictionary with torch.save's format, through a temporary file renamed into place.</summary>
    public static void WriteObject(string path, IDictionary content) =>
        AtomicFile.Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None);
            PyTorchPickler.PickleStateDict(stream, content, leaveOpen: true);
            stream.Flush(flushToDisk: true);
        });
}
