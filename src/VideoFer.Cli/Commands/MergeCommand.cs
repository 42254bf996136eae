using System.CommandLine;
using System.Text.Json;
using VideoFer.Inference.Corpus;
using VideoFer.Formats;

namespace VideoFer.Cli.Commands;

/// <summary>`videofer merge OUT` or `videofer merge SHARD... --out OUT`: a sharded corpus's files.</summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("CORPUS")
        {
            Description = "The --out folder the shards of `videofer predict` shared, or each shard's own --out folder (then --out names where to combine them).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--out") { Description = "With several shard folders: the corpus folder to copy their inputs' results into (new, empty, or this corpus)." };
        var command = new Command("merge", "Write a sharded corpus's predictions.csv, summary.csv and timings.csv (byte-identical to one run on the same inputs).")
        {
            folders, output, GlobalOptions.Json,
        };
        command.SetAction(parse =>
        {
            var report = CorpusMerge.Run(parse.GetValue(folders)!, parse.GetValue(output));
            if (!report.Files.Written)
            {
                var names = report.Files.Pending.Take(5).Select(p => p.Name);
                throw new VideoFerException($"{report.Root}: {report.Files.Pending.Count} of {report.Inputs} inputs are not done yet " +
                    $"({string.Join(", ", names)}{(report.Files.Pending.Count > 5 ? ", ..." : "")}): run (or rerun) their shards first");
            }
            int failed = report.Failed;
            if (parse.GetValue(GlobalOptions.Json))
                Console.WriteLine(JsonOutput.Serialize(new { corpus = report.Root, inputs = report.Inputs, copied = report.Copied, failed, corpus_files = report.Files.Files }));
            else
                Console.WriteLine($"{report.Inputs} inputs ({failed} failed{(report.Copied > 0 ? $", {report.Copied} copied from the shard folders" : "")}): " +
                                  $"{string.Join(", ", report.Files.Files.Select(Path.GetFileName))} in {report.Root}");
            return failed > 0 ? CommandRunner.ExitSomeFailed : CommandRunner.ExitOk;
        });
        return command;
    }
}
