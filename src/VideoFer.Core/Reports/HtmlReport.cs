using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using VideoFer.IO;
using VideoFer.Formats;

namespace VideoFer.Reports;

/// <summary>Renders VideoFer's self-contained HTML pages (report.html of a prediction, of a corpus, of a training
/// run) from Liquid templates embedded in this assembly (<c>Reports/Assets/*.liquid</c>, rendered by Fluid), with the
/// shared style sheet and script (<c>report.css</c>, <c>report.js</c>) inlined and the page's data as one JSON blob
/// (<c>&lt;script type="application/json" id="data"&gt;</c>) that the script draws the timelines and curves from. Text
/// from the model is HTML-encoded by the template engine; the JSON is written by System.Text.Json, whose default
/// encoder escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so no value can close the script element. The page loads
/// nothing from the network.</summary>
public static class HtmlReport
{
    static readonly FluidParser Parser = new();
    static readonly ConcurrentDictionary<string, IFluidTemplate> Templates = new();
    static readonly TemplateOptions Options = new();

    /// <summary>The text of an embedded asset (<c>report.js</c>, <c>video.liquid</c>, ...).</summary>
    public static string Asset(string name)
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("VideoFer.Reports." + name)
            ?? throw new InvalidOperationException($"no embedded report asset {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The page of <paramref name="template"/> (an embedded <c>.liquid</c>) with <paramref name="model"/>'s
    /// values (dictionaries, lists, strings, numbers) and <paramref name="data"/> serialised as the page's JSON.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, object?> model, object data)
    {
        var parsed = Templates.GetOrAdd(template, name => Parser.TryParse(Asset(name), out var t, out var error)
            ? t : throw new InvalidOperationException($"{name}: {error}"));
        var context = new TemplateContext(Options);
        foreach (var (key, value) in model) context.SetValue(key, value);
        context.SetValue("style", Asset("report.css"));
        context.SetValue("script", Asset("report.js"));
        context.SetValue("data_json", JsonOutput.Serialize(data));
        return parsed.Render(context, HtmlEncoder.Default);
    }

    /// <summary>Renders and writes the page atomically (a temporary file renamed).</summary>
    public static void Write(string path, string template, IReadOnlyDictionary<string, object?> model, object data)
    {
        string html = Render(template, model, data);
        AtomicFile.WriteText(path, w => w.Write(html));
    }
}
